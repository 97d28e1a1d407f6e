// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISpeedMarket} from "../interfaces/ISpeedMarket.sol";
import {PermanentOwnable} from "../libraries/PermanentOwnable.sol";
import {SpeedBook} from "./SpeedBook.sol";
import {SpeedRedemption} from "./SpeedRedemption.sol";
import {SpeedSlots} from "./SpeedSlots.sol";

/// @title SpeedMarket
/// @notice The bandwidth market: bids per infohash, receipts, batch and relayed redemption,
/// close with a grace period and refund. See ISpeedMarket.
/// @dev Value moves only through the vault: `commit` on open and top-up, `release` on claim and
/// refund. The owner sets grace bounds for new bids and nothing else.
contract SpeedMarket is SpeedRedemption, PermanentOwnable, ReentrancyGuardTransient {
    /// @dev The longest grace period the packed bid can hold (24 bits of seconds, ~194 days).
    uint256 private constant _MAX_GRACE = type(uint24).max;
    /// @dev The shortest grace period any bid may have: after a close, a seeder holding signed
    /// receipts gets at least 10 minutes (200 TRON blocks) to redeem them.
    uint256 private constant _MIN_GRACE = 600;

    /// @param vault_ The EscrowVault; the owner of the vault must authorise this market.
    /// @param owner_ Who sets the grace bounds.
    /// @param minGrace Shortest grace period a bid may choose, in seconds.
    /// @param maxGrace Longest grace period a bid may choose, in seconds.
    constructor(address vault_, address owner_, uint256 minGrace, uint256 maxGrace) SpeedBook(vault_) Ownable(owner_) {
        _config.nextBidId = 1;
        _setGraceBounds(minGrace, maxGrace);
    }

    // ----------------------------------------------------------------------------------------
    // Downloaders
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ISpeedMarket
    function openBid(
        bytes32 infohash,
        uint8 version,
        uint256 pricePerMiB,
        uint256 budget,
        uint256 expiry,
        uint256 grace
    ) external nonReentrant returns (uint256 bidId) {
        // v1 infohashes are 20 bytes, left-aligned: their low 12 bytes must be zero. The version
        // keys the list, so a v1 and a v2 infohash never share one even if their bytes match.
        if (
            infohash == 0 ||
            (version != 1 && version != 2) ||
            (version == 1 && uint256(infohash) & type(uint96).max != 0)
        ) revert SpeedInvalidInfohash(infohash, version);
        if (pricePerMiB == 0 || pricePerMiB > type(uint72).max) revert SpeedInvalidPrice(pricePerMiB);
        if (budget == 0 || budget > type(uint96).max) revert SpeedInvalidAmount(budget);
        if (expiry <= block.timestamp || expiry + grace > type(uint32).max) revert SpeedInvalidExpiry(expiry);
        bidId = _takeBidId(grace);
        _storeBid(bidId, infohash, version, pricePerMiB, budget, expiry, grace);
        _vault.commit(msg.sender, budget);
    }

    /// @inheritdoc ISpeedMarket
    function topUp(uint256 bidId, uint256 amount) external nonReentrant {
        Bid storage b = _existing(bidId);
        if (msg.sender != b.downloader) revert SpeedNotDownloader(bidId, msg.sender);
        if (b.closedUntil != 0 || block.timestamp >= b.expiry) revert SpeedBidNotOpen(bidId);
        uint256 remaining = b.remaining + amount;
        if (amount == 0 || remaining > type(uint96).max) revert SpeedInvalidAmount(amount);
        b.remaining = uint96(remaining);
        emit BidToppedUp(bidId, amount, remaining);
        _vault.commit(msg.sender, amount);
    }

    /// @inheritdoc ISpeedMarket
    function closeBid(uint256 bidId) external nonReentrant {
        Bid storage b = _existing(bidId);
        if (b.closedUntil != 0) revert SpeedBidNotOpen(bidId);
        uint256 until;
        if (block.timestamp < b.expiry) {
            if (msg.sender != b.downloader) revert SpeedNotDownloader(bidId, msg.sender);
            // Safe: now < expiry and expiry + grace < 2**32 (checked when opened).
            unchecked {
                until = block.timestamp + b.grace;
            }
        } else {
            until = _until(0, b.expiry, b.grace);
        }
        b.closedUntil = uint32(until);
        emit BidClosed(bidId, msg.sender, until);
        if (block.timestamp > until) _refund(bidId, b);
    }

    /// @inheritdoc ISpeedMarket
    function refundBid(uint256 bidId) external nonReentrant {
        Bid storage b = _existing(bidId);
        uint256 until = _until(b.closedUntil, b.expiry, b.grace);
        if (b.refunded || block.timestamp <= until) revert SpeedBidNotRefundable(bidId, until);
        if (b.closedUntil == 0) {
            b.closedUntil = uint32(until);
            emit BidClosed(bidId, msg.sender, until);
        }
        _refund(bidId, b);
    }

    /// @inheritdoc ISpeedMarket
    function pruneBids(bytes32 infohash, uint8 version, uint256 maxSteps) external returns (uint256 removed) {
        mapping(bytes32 => uint40) storage heads = _heads[version];
        uint256 prev;
        uint256 id = heads[infohash];
        for (uint256 step; step < maxSteps && id != 0; ++step) {
            Bid storage b = _bids[id];
            uint40 next = b.next;
            if (b.closedUntil != 0 || block.timestamp >= b.expiry) {
                // The unlinked bid keeps its `next`, so a reader paging from it can go on.
                if (prev == 0) heads[infohash] = next;
                else _bids[prev].next = next;
                ++removed;
            } else {
                prev = id;
            }
            id = next;
        }
        if (removed != 0) emit BidsPruned(infohash, version, removed);
    }

    // ----------------------------------------------------------------------------------------
    // Claims
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ISpeedMarket
    function claim(address seeder, uint256[] calldata bidIds) external nonReentrant returns (uint256 amount) {
        uint256 count = bidIds.length;
        for (uint256 i; i < count; ++i) {
            Earning storage e = _earnings[_earningKey(bidIds[i], seeder)];
            // Safe: the sum of unclaimed earnings is below the market's pool.
            unchecked {
                amount += e.unclaimed;
            }
            e.unclaimed = 0;
        }
        if (amount == 0) revert SpeedNothingToPay();
        emit EarningsClaimed(seeder, amount);
        _vault.release(seeder, amount);
    }

    /// @inheritdoc ISpeedMarket
    function claimRelayFees(
        address relayer,
        address[] calldata seeders
    ) external nonReentrant returns (uint256 amount) {
        uint256 count = seeders.length;
        for (uint256 i; i < count; ++i) {
            RelayAccount storage account = _relays[seeders[i]][relayer];
            // Safe: at most 2**128 - 1 per account, summed in 256 bits.
            unchecked {
                amount += account.unclaimed;
            }
            account.unclaimed = 0;
        }
        if (amount == 0) revert SpeedNothingToPay();
        emit RelayFeesClaimed(relayer, amount);
        _vault.release(relayer, amount);
    }

    /// @inheritdoc ISpeedMarket
    function revokeRelay(address relayer, uint256 nonce) external {
        RelayAccount storage account = _relays[msg.sender][relayer];
        uint256 current = account.nonce;
        if (nonce <= current || nonce > type(uint32).max) revert SpeedRelayNonceNotRaised(nonce, current);
        // A spent fee allowance: no fee can be taken under `nonce`, and lower nonces are stale.
        account.nonce = uint32(nonce);
        account.feeTaken = type(uint96).max;
        emit RelayRevoked(msg.sender, relayer, nonce);
    }

    // ----------------------------------------------------------------------------------------
    // Administration
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ISpeedMarket
    function setGraceBounds(uint256 min, uint256 max) external onlyOwner {
        _setGraceBounds(min, max);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    function _setGraceBounds(uint256 min, uint256 max) private {
        if (min < _MIN_GRACE || min > max || max > _MAX_GRACE) revert SpeedInvalidGraceBounds(min, max);
        (_config.minGrace, _config.maxGrace) = (uint24(min), uint24(max));
        emit GraceBoundsSet(min, max);
    }

    /// @dev Checks `grace` against the owner's bounds and takes the next bid id, in one slot.
    function _takeBidId(uint256 grace) private returns (uint256 bidId) {
        Config memory config = _config;
        if (grace < config.minGrace || grace > config.maxGrace) {
            revert SpeedInvalidGrace(grace, config.minGrace, config.maxGrace);
        }
        bidId = config.nextBidId;
        // Safe: 2**40 bids would take longer than TRON will exist.
        unchecked {
            _config.nextBidId = uint40(bidId + 1);
        }
    }

    /// @dev Writes a new bid's two slots whole (no read-modify-write of fresh storage; see
    /// SpeedSlots for the layout) and pushes it on its infohash's list.
    function _storeBid(
        uint256 bidId,
        bytes32 infohash,
        uint8 version,
        uint256 pricePerMiB,
        uint256 budget,
        uint256 expiry,
        uint256 grace
    ) private {
        mapping(bytes32 => uint40) storage heads = _heads[version];
        bytes32 slot = _bidSlot(bidId);
        SpeedSlots.store(slot, SpeedSlots.bidHead(msg.sender, pricePerMiB, grace));
        SpeedSlots.store(bytes32(uint256(slot) + 1), SpeedSlots.bidTail(budget, expiry, version, heads[infohash]));
        heads[infohash] = uint40(bidId);
        emit BidOpened(bidId, infohash, msg.sender, version, pricePerMiB, budget, expiry, grace);
    }

    function _existing(uint256 bidId) private view returns (Bid storage b) {
        b = _bids[bidId];
        if (b.downloader == address(0)) revert SpeedUnknownBid(bidId);
    }

    /// @dev Marks the bid refunded and returns its remaining budget to the downloader.
    function _refund(uint256 bidId, Bid storage b) private {
        uint256 amount = b.remaining;
        address downloader = b.downloader;
        b.remaining = 0;
        b.refunded = true;
        emit BidRefunded(bidId, downloader, amount);
        if (amount != 0) _vault.release(downloader, amount);
    }
}
