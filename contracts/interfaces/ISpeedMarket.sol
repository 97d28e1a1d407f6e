// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title ISpeedMarket
/// @notice The bandwidth market, in the spirit of BitTorrent Speed. A downloader opens a bid for a
/// torrent (its infohash) with a price per MiB and a budget that the market commits from the
/// downloader's free balance in the EscrowVault. Seeders serve pieces; the downloader signs
/// cumulative byte receipts off chain with TIP-712:
/// `Receipt(uint256 bidId,address seeder,uint256 cumulativeBytes)`.
/// Anyone submits a receipt for the seeder who earned it; the market pays the seeder the
/// difference between what the receipt is worth (`cumulativeBytes * pricePerMiB / 2**20`) and
/// what that seeder already got on that bid, capped by the budget left. Payments accrue inside the
/// market (one storage slot per bid and seeder) and reach the seeder's vault balance with `claim`.
/// @dev Value model: the market never holds tokens. Budgets sit in the market's held pool in the
/// vault. Invariant: `vault.heldBy(market) == sum(bid.remaining) + sum(unclaimed earnings) +
/// sum(unclaimed relay fees)`. The market never pulls tokens: a downloader deposits into the vault
/// first (the SDK does deposit + openBid), so only the vault ever touches the token.
///
/// Receipts are submitted packed (see `PackedReceipt`) with an EIP-2098 compact signature, which
/// keeps calldata at 96 bytes per receipt; the SDK converts TronWeb/ethers 65-byte signatures.
interface ISpeedMarket {
    // ----------------------------------------------------------------------------------------
    // Types
    // ----------------------------------------------------------------------------------------

    /// @notice A bid as stored. The infohash is not stored (it is in `BidOpened` and keys the
    /// open-bid list); `version` says whether it was a 20-byte v1 or a 32-byte v2 infohash.
    struct Bid {
        address downloader;
        uint72 pricePerMiB;
        uint24 grace;
        uint96 remaining;
        uint32 expiry;
        uint32 closedUntil;
        uint8 version;
        bool refunded;
        uint40 next;
    }

    /// @notice What one seeder has on one bid: the highest receipt recorded, what the budget has
    /// paid for it, and the part of that not claimed into the vault yet.
    struct Earning {
        uint64 cumulativeBytes;
        uint96 paid;
        uint96 unclaimed;
    }

    /// @notice What a relayer has under a seeder's authorisation: the nonce in force, the fee
    /// taken under it, and fees not claimed yet (across nonces, so wider than one fee cap).
    struct RelayAccount {
        uint32 nonce;
        uint96 feeTaken;
        uint128 unclaimed;
    }

    /// @notice A receipt as submitted. `key` packs `bidId` (bits 216..255, 40 bits),
    /// `cumulativeBytes` (bits 160..215, 56 bits: up to 64 PiB) and `seeder` (bits 0..159).
    /// `r` and `vs` are the downloader's EIP-2098 compact signature (`vs = (v - 27) << 255 | s`).
    struct PackedReceipt {
        uint256 key;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A seeder's signed relay authorisation, as submitted by the relayer (`msg.sender`).
    /// `terms` packs `fee` asked on this call (bits 160..255, 96 bits), `maxFee` (bits 64..159,
    /// 96 bits), `deadline` (bits 32..63) and `nonce` (bits 0..31). The seeder signs TIP-712
    /// `RelayFee(address seeder,address relayer,uint256 maxFee,uint256 nonce,uint256 deadline)`:
    /// the relayer may take at most `maxFee` in total under `nonce`, until `deadline`.
    struct PackedRelay {
        uint256 terms;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice Why a receipt in a batch paid nothing (reported in `ReceiptRejected`).
    enum RejectReason {
        None,
        UnknownBid,
        NotRedeemable,
        NotNewer,
        WrongSigner,
        MalleableSignature,
        ZeroSeeder
    }

    // ----------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------

    /// @notice `version` is not 1 (20-byte btih) or 2 (32-byte btmh), or `infohash` is zero or
    /// a v1 infohash has non-zero low 12 bytes.
    error SpeedInvalidInfohash(bytes32 infohash, uint8 version);
    /// @notice The price per MiB is zero or above 2**72 - 1.
    error SpeedInvalidPrice(uint256 pricePerMiB);
    /// @notice The amount is zero, or the bid's budget would exceed 2**96 - 1.
    error SpeedInvalidAmount(uint256 amount);
    /// @notice The expiry is not in the future or does not fit 32 bits.
    error SpeedInvalidExpiry(uint256 expiry);
    /// @notice The grace period lies outside the owner's bounds `[min, max]`.
    error SpeedInvalidGrace(uint256 grace, uint256 min, uint256 max);
    /// @notice Grace bounds with `min` below 600 seconds, `min > max` or `max` above 2**24 - 1
    /// seconds.
    error SpeedInvalidGraceBounds(uint256 min, uint256 max);
    /// @notice No bid has this id.
    error SpeedUnknownBid(uint256 bidId);
    /// @notice `caller` is not the downloader of bid `bidId`.
    error SpeedNotDownloader(uint256 bidId, address caller);
    /// @notice Bid `bidId` is closed or expired: no top-up, no second close.
    error SpeedBidNotOpen(uint256 bidId);
    /// @notice Bid `bidId` takes no receipts any more: its redemption deadline `until` passed.
    error SpeedBidNotRedeemable(uint256 bidId, uint256 until);
    /// @notice Bid `bidId` cannot be refunded before `until`, or was refunded already.
    error SpeedBidNotRefundable(uint256 bidId, uint256 until);
    /// @notice The receipt is not above what is recorded for `seeder` on `bidId` (a replay or an
    /// old receipt).
    error SpeedReceiptNotNewer(uint256 bidId, address seeder, uint256 cumulativeBytes, uint256 recordedBytes);
    /// @notice The receipt was not signed by the bid's downloader for this bid, contract and chain.
    error SpeedWrongSigner(uint256 bidId, address signer, address downloader);
    /// @notice The signature's `s` lies in the upper half of the curve order (malleable).
    error SpeedMalleableSignature(bytes32 s);
    /// @notice A receipt names the zero address as seeder.
    error SpeedZeroSeeder(uint256 bidId);
    /// @notice The relay authorisation expired at `deadline`.
    error SpeedRelayExpired(uint256 deadline, uint256 timestamp);
    /// @notice Taking `fee` on top of `taken` would exceed the signed `maxFee`.
    error SpeedRelayFeeAboveCap(uint256 fee, uint256 taken, uint256 maxFee);
    /// @notice The relay authorisation's nonce is below the one in force.
    error SpeedRelayNonceStale(uint256 nonce, uint256 current);
    /// @notice The relay authorisation was not signed by `seeder` for this relayer.
    error SpeedRelayWrongSigner(address signer, address seeder);
    /// @notice A relay revocation must raise the nonce.
    error SpeedRelayNonceNotRaised(uint256 nonce, uint256 current);
    /// @notice There is nothing to claim or pay.
    error SpeedNothingToPay();
    /// @notice Booking `fee` on a relayer's `unclaimed` fees would pass 2**128 - 1: claim first.
    error SpeedRelayFeesOverflow(uint256 unclaimed, uint256 fee);

    // ----------------------------------------------------------------------------------------
    // Events
    // ----------------------------------------------------------------------------------------

    /// @notice `downloader` opened bid `bidId` on `infohash` (`version` 1 or 2).
    event BidOpened(
        uint256 indexed bidId,
        bytes32 indexed infohash,
        address indexed downloader,
        uint8 version,
        uint256 pricePerMiB,
        uint256 budget,
        uint256 expiry,
        uint256 grace
    );
    /// @notice Bid `bidId` received `amount` more budget; `remaining` is its unpaid budget now.
    event BidToppedUp(uint256 indexed bidId, uint256 amount, uint256 remaining);
    /// @notice Bid `bidId` was closed by `closedBy`; receipts are redeemable until `redeemableUntil`.
    event BidClosed(uint256 indexed bidId, address indexed closedBy, uint256 redeemableUntil);
    /// @notice What was left of bid `bidId`'s budget, `amount`, went back to `downloader`.
    event BidRefunded(uint256 indexed bidId, address indexed downloader, uint256 amount);
    /// @notice Closed or expired bids were unlinked from the open list of `infohash`.
    event BidsPruned(bytes32 indexed infohash, uint8 version, uint256 removed);
    /// @notice A receipt for `cumulativeBytes` paid `amount` to `seeder` on bid `bidId` (accrued
    /// as unclaimed earnings). `amount` is below what is owed when the budget ran short. One per
    /// receipt, batched or not, so it is packed into one word to keep a batch cheap: `redemption`
    /// is the receipt's key with the amount in the seeder's place, `bidId` (bits 216..255) |
    /// `cumulativeBytes` (bits 160..215) | `amount` (bits 0..159; it is below 2**96). The SDK's
    /// `unpackRedemption` splits it. Indexers filter by `seeder`; a bid's redemptions are the
    /// events whose `redemption >> 216` is its id.
    event ReceiptRedeemed(address indexed seeder, uint256 redemption);
    /// @notice A receipt in a batch paid nothing, for `reason`; the rest of the batch went on.
    event ReceiptRejected(uint256 indexed bidId, address indexed seeder, uint256 cumulativeBytes, RejectReason reason);
    /// @notice `amount` of what bid `bidId` already owed `seeder` was paid after a top-up.
    event OwedPaid(uint256 indexed bidId, address indexed seeder, uint256 amount);
    /// @notice Like `ReceiptRedeemed`, for a redemption submitted by `relayer`, who took `fee` out
    /// of `amount` under the seeder's signed authorisation (see `relayAccount` for its nonce).
    event ReceiptRelayed(
        uint256 indexed bidId,
        address indexed seeder,
        address indexed relayer,
        uint256 cumulativeBytes,
        uint256 amount,
        uint256 fee
    );
    /// @notice `seeder` revoked `relayer`'s authorisations below and at `nonce`.
    event RelayRevoked(address indexed seeder, address indexed relayer, uint256 nonce);
    /// @notice `amount` of `seeder`'s earnings moved to its free balance in the vault.
    event EarningsClaimed(address indexed seeder, uint256 amount);
    /// @notice `amount` of `relayer`'s fees moved to its free balance in the vault.
    event RelayFeesClaimed(address indexed relayer, uint256 amount);
    /// @notice The owner set the bounds of the grace period a downloader may choose.
    event GraceBoundsSet(uint256 min, uint256 max);

    // ----------------------------------------------------------------------------------------
    // Downloaders
    // ----------------------------------------------------------------------------------------

    /// @notice Opens a bid and commits `budget` from the caller's free vault balance. The caller
    /// must have called `vault.setMarketApproval(market, true)`; reverts while the vault is paused.
    /// @param infohash A v1 infohash left-aligned (`bytes32(bytes20(h))`) or a v2 infohash.
    /// @param version 1 for a 20-byte v1 (btih), 2 for a 32-byte v2 (btmh) infohash.
    /// @param pricePerMiB Tokens (smallest unit) paid per 2**20 bytes served.
    /// @param budget Tokens committed; the unpaid budget of a bid stays below 2**96.
    /// @param expiry Unix time after which the bid takes no top-ups and its grace period begins.
    /// @param grace Seconds seeders keep to redeem after a close or the expiry; within the bounds.
    /// @return bidId The new bid's id (ids start at 1).
    function openBid(
        bytes32 infohash,
        uint8 version,
        uint256 pricePerMiB,
        uint256 budget,
        uint256 expiry,
        uint256 grace
    ) external returns (uint256 bidId);

    /// @notice Adds `amount` from the downloader's free balance to an open bid. Downloader only.
    /// @param bidId The bid.
    /// @param amount Tokens to add.
    function topUp(uint256 bidId, uint256 amount) external;

    /// @notice Closes a bid: the downloader may close it any time while open; anyone may close it
    /// once expired. Receipts stay redeemable for the bid's grace period; if that has already
    /// passed (an expired bid), the remainder is refunded in the same call.
    /// @param bidId The bid.
    function closeBid(uint256 bidId) external;

    /// @notice After the redemption deadline, returns what is left of the budget to the
    /// downloader's free balance. Anyone may call.
    /// @param bidId The bid.
    function refundBid(uint256 bidId) external;

    /// @notice Unlinks up to `maxSteps` closed or expired bids from the open list of an infohash.
    /// Housekeeping that anyone may run; it moves no value.
    /// @return removed How many bids were unlinked.
    function pruneBids(bytes32 infohash, uint8 version, uint256 maxSteps) external returns (uint256 removed);

    // ----------------------------------------------------------------------------------------
    // Seeders
    // ----------------------------------------------------------------------------------------

    /// @notice Redeems one receipt; reverts with the specific error when it pays nothing new.
    /// Anyone may submit; the seeder named in the receipt earns.
    /// @param receipt The packed, signed receipt.
    /// @return amount What the receipt paid now.
    function redeem(PackedReceipt calldata receipt) external returns (uint256 amount);

    /// @notice Redeems many receipts across bids and seeders. A receipt that pays nothing is
    /// reported in `ReceiptRejected` and skipped. Receipts for the same bid are cheapest when
    /// consecutive.
    /// @param receipts The packed, signed receipts.
    /// @return total What the batch paid in all.
    function redeemBatch(PackedReceipt[] calldata receipts) external returns (uint256 total);

    /// @notice Redeems one receipt for a seeder and pays the caller (the relayer) a fee out of it,
    /// under the seeder's signed authorisation. The fee is capped by what the receipt paid.
    /// @param receipt The packed, signed receipt.
    /// @param relay The seeder's packed, signed relay authorisation and the fee asked.
    /// @return amount What the receipt paid (fee included).
    /// @return fee The fee the relayer took.
    function redeemRelayed(
        PackedReceipt calldata receipt,
        PackedRelay calldata relay
    ) external returns (uint256 amount, uint256 fee);

    /// @notice Pays what a bid already owes a seeder for a recorded receipt but could not pay
    /// when the budget ran short (after a top-up). Anyone may call while the bid is redeemable.
    /// @return amount What was paid.
    function payOwed(uint256 bidId, address seeder) external returns (uint256 amount);

    /// @notice Moves `seeder`'s unclaimed earnings on `bidIds` to its free vault balance.
    /// Anyone may call; the seeder is paid.
    /// @return amount What was claimed.
    function claim(address seeder, uint256[] calldata bidIds) external returns (uint256 amount);

    /// @notice Moves `relayer`'s unclaimed fees earned from `seeders` to its free vault balance.
    /// Anyone may call; the relayer is paid.
    /// @return amount What was claimed.
    function claimRelayFees(address relayer, address[] calldata seeders) external returns (uint256 amount);

    /// @notice Revokes the caller's authorisations for `relayer` up to and including `nonce`.
    /// @param relayer The relayer.
    /// @param nonce The new nonce in force, above the current one; it is spent at once.
    function revokeRelay(address relayer, uint256 nonce) external;

    // ----------------------------------------------------------------------------------------
    // Administration
    // ----------------------------------------------------------------------------------------

    /// @notice Sets the bounds of the grace period downloaders may choose for new bids. Owner
    /// only; existing bids keep theirs, so the owner has no power over committed funds.
    function setGraceBounds(uint256 min, uint256 max) external;

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @notice The vault the market moves value through.
    function vault() external view returns (address);

    /// @notice Bid `bidId` (all zero if none).
    function bid(uint256 bidId) external view returns (Bid memory);

    /// @notice The last time bid `bidId` takes receipts: its close time plus grace, or its expiry
    /// plus grace while not closed.
    function redeemableUntil(uint256 bidId) external view returns (uint256);

    /// @notice The id the next bid will get.
    function nextBidId() external view returns (uint256);

    /// @notice The grace bounds `[min, max]` in seconds.
    function graceBounds() external view returns (uint256 min, uint256 max);

    /// @notice What `seeder` has on bid `bidId`.
    function earning(uint256 bidId, address seeder) external view returns (Earning memory);

    /// @notice What bid `bidId` owes `seeder` for recorded receipts beyond what it has paid.
    function owed(uint256 bidId, address seeder) external view returns (uint256);

    /// @notice `relayer`'s account under `seeder`'s authorisations.
    function relayAccount(address seeder, address relayer) external view returns (RelayAccount memory);

    /// @notice A page of the open bids on an infohash, newest first. Pass `cursor` 0 for the first
    /// page and the returned `nextCursor` for the next; `nextCursor` 0 means the end. Closed and
    /// expired bids are skipped (they count towards `maxSteps`).
    /// @return bidIds Open bids found.
    /// @return nextCursor Where the next page starts, or 0.
    function openBids(
        bytes32 infohash,
        uint8 version,
        uint256 cursor,
        uint256 maxSteps
    ) external view returns (uint256[] memory bidIds, uint256 nextCursor);

    /// @notice Packs a receipt's key, as `PackedReceipt.key` expects.
    function packReceiptKey(uint256 bidId, address seeder, uint256 cumulativeBytes) external pure returns (uint256);

    /// @notice The TIP-712 digest the downloader signs for a receipt.
    function receiptDigest(uint256 bidId, address seeder, uint256 cumulativeBytes) external view returns (bytes32);

    /// @notice The TIP-712 digest a seeder signs for a relay authorisation.
    function relayDigest(
        address seeder,
        address relayer,
        uint256 maxFee,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);
}
