// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IEscrowVault} from "../interfaces/IEscrowVault.sol";
import {ISpeedMarket} from "../interfaces/ISpeedMarket.sol";
import {TIP712} from "../libraries/TIP712.sol";
import {SpeedPacking} from "./SpeedPacking.sol";

/// @title SpeedBook
/// @notice The storage of the Speed market, its views and its typed-data digests.
/// @dev Storage layout, chosen for the redemption path (see scripts/bench/speed.ts):
/// - a bid is two slots: `downloader | pricePerMiB | grace` (read by every receipt) and
///   `remaining | expiry | closedUntil | version | refunded | next` (written by every receipt);
/// - a seeder's account on a bid is one slot: `cumulativeBytes | paid | unclaimed`, so a
///   redemption writes two slots and earnings reach the vault later, in one `claim`;
/// - the open bids of an infohash are a singly linked list threaded through the bids' `next`
///   field (newest first), with its head in `_heads`; closed bids are unlinked lazily by
///   `pruneBids`, so neither opening nor closing pays for list upkeep beyond one head write.
abstract contract SpeedBook is ISpeedMarket, TIP712 {
    /// @dev The owner's parameters and the id counter, read and written together by `openBid`.
    struct Config {
        uint40 nextBidId;
        uint24 minGrace;
        uint24 maxGrace;
    }

    bytes32 internal constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(uint256 bidId,address seeder,uint256 cumulativeBytes)"
    );
    bytes32 internal constant RELAY_FEE_TYPEHASH = keccak256(
        "RelayFee(address seeder,address relayer,uint256 maxFee,uint256 nonce,uint256 deadline)"
    );

    IEscrowVault internal immutable _vault;

    Config internal _config;
    mapping(uint256 bidId => Bid) internal _bids;
    /// @dev Keyed by `bidId << 160 | seeder` (see `_earningKey`): one hash per lookup.
    mapping(uint256 bidSeeder => Earning) internal _earnings;
    mapping(address seeder => mapping(address relayer => RelayAccount)) internal _relays;
    mapping(uint8 version => mapping(bytes32 infohash => uint40 bidId)) internal _heads;

    constructor(address vault_) TIP712("bttkit SpeedMarket", "1") {
        _vault = IEscrowVault(vault_);
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ISpeedMarket
    function vault() external view returns (address) {
        return address(_vault);
    }

    /// @inheritdoc ISpeedMarket
    function bid(uint256 bidId) external view returns (Bid memory) {
        return _bids[bidId];
    }

    /// @inheritdoc ISpeedMarket
    function redeemableUntil(uint256 bidId) external view returns (uint256) {
        Bid storage b = _bids[bidId];
        if (b.downloader == address(0)) revert SpeedUnknownBid(bidId);
        return _until(b.closedUntil, b.expiry, b.grace);
    }

    /// @inheritdoc ISpeedMarket
    function nextBidId() external view returns (uint256) {
        return _config.nextBidId;
    }

    /// @inheritdoc ISpeedMarket
    function graceBounds() external view returns (uint256 min, uint256 max) {
        return (_config.minGrace, _config.maxGrace);
    }

    /// @inheritdoc ISpeedMarket
    function earning(uint256 bidId, address seeder) external view returns (Earning memory) {
        return _earnings[_earningKey(bidId, seeder)];
    }

    /// @inheritdoc ISpeedMarket
    function owed(uint256 bidId, address seeder) public view returns (uint256) {
        Earning storage e = _earnings[_earningKey(bidId, seeder)];
        uint256 worth = SpeedPacking.worth(e.cumulativeBytes, _bids[bidId].pricePerMiB);
        uint256 paid = e.paid;
        return worth > paid ? worth - paid : 0;
    }

    /// @inheritdoc ISpeedMarket
    function relayAccount(address seeder, address relayer) external view returns (RelayAccount memory) {
        return _relays[seeder][relayer];
    }

    /// @inheritdoc ISpeedMarket
    function openBids(
        bytes32 infohash,
        uint8 version,
        uint256 cursor,
        uint256 maxSteps
    ) external view returns (uint256[] memory bidIds, uint256 nextCursor) {
        uint256 id = cursor == 0 ? _heads[version][infohash] : cursor;
        bidIds = new uint256[](maxSteps);
        uint256 found;
        for (uint256 step; step < maxSteps && id != 0; ++step) {
            Bid storage b = _bids[id];
            if (b.closedUntil == 0 && block.timestamp < b.expiry) bidIds[found++] = id;
            id = b.next;
        }
        // Trim the array to what was found.
        assembly ("memory-safe") {
            mstore(bidIds, found)
        }
        nextCursor = id;
    }

    /// @inheritdoc ISpeedMarket
    function packReceiptKey(uint256 bidId, address seeder, uint256 cumulativeBytes) external pure returns (uint256) {
        (bool fits, uint256 key) = SpeedPacking.packReceipt(bidId, seeder, cumulativeBytes);
        if (!fits) revert SpeedInvalidAmount(cumulativeBytes > type(uint56).max ? cumulativeBytes : bidId);
        return key;
    }

    /// @inheritdoc ISpeedMarket
    function receiptDigest(uint256 bidId, address seeder, uint256 cumulativeBytes) external view returns (bytes32) {
        return _receiptDigest(bidId, seeder, cumulativeBytes);
    }

    /// @inheritdoc ISpeedMarket
    function relayDigest(
        address seeder,
        address relayer,
        uint256 maxFee,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32) {
        return _relayDigest(seeder, relayer, maxFee, nonce, deadline);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev The last second a bid takes receipts: its close deadline, else expiry plus grace.
    function _until(uint256 closedUntil, uint256 expiry, uint256 grace) internal pure returns (uint256) {
        // Safe: expiry < 2**32 and grace < 2**24.
        unchecked {
            return closedUntil != 0 ? closedUntil : expiry + grace;
        }
    }

    /// @dev Allocates the memory the receipt path hashes and recovers in, and writes the parts that
    /// are the same for every receipt of a call once (see `_record` in SpeedRedemption):
    /// - `[w, w + 0x80)`: `RECEIPT_TYPEHASH | bidId | seeder | cumulativeBytes`, the struct hashed;
    /// - `[w + 0x80, w + 0xc2)`: `"\x19\x01" | domainSeparator | structHash`, the digest hashed;
    /// - `[w + 0xe0, w + 0x160)`: `digest | v | r | s`, the ecrecover input.
    function _receiptWorkspace() internal view returns (uint256 w) {
        bytes32 typeHash = RECEIPT_TYPEHASH;
        bytes32 separator = _domainSeparator();
        // Safe: the 0x160 bytes are allocated (the free memory pointer moves past them), so no
        // Solidity code overwrites them while the caller uses them.
        assembly ("memory-safe") {
            w := mload(0x40)
            mstore(0x40, add(w, 0x160))
            mstore(w, typeHash)
            // EIP-712: keccak256("\x19\x01" ++ domainSeparator ++ structHash).
            mstore(add(w, 0x80), shl(240, 0x1901))
            mstore(add(w, 0x82), separator)
        }
    }

    /// @dev ecrecover of an EIP-2098 compact signature with OpenZeppelin ECDSA's rules (low s only;
    /// signer 0 when unrecoverable), without its layers. Uses scratch memory only.
    /// @return signer The signer, or 0.
    /// @return highS The signature's `s` when it lies in the upper half of the order (malleable), else 0.
    function _recoverCompact(
        bytes32 digest,
        bytes32 r,
        bytes32 vs
    ) internal view returns (address signer, uint256 highS) {
        assembly ("memory-safe") {
            // EIP-2098: the top bit of vs is v - 27, the rest is s.
            let s := and(vs, 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
            switch gt(s, 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0)
            case 1 {
                highS := s
            }
            default {
                let m := mload(0x40)
                mstore(m, digest)
                mstore(add(m, 0x20), add(shr(255, vs), 27))
                mstore(add(m, 0x40), r)
                mstore(add(m, 0x60), s)
                // The precompile writes nothing for a bad signature: clear the output word first.
                mstore(0x00, 0)
                pop(staticcall(gas(), 0x01, m, 0x80, 0x00, 0x20))
                signer := mload(0x00)
            }
        }
    }

    /// @dev The TIP-712 digest of a receipt (for the `receiptDigest` view).
    function _receiptDigest(uint256 bidId, address seeder, uint256 cumulativeBytes) internal view returns (bytes32) {
        return _hashTypedData(keccak256(abi.encode(RECEIPT_TYPEHASH, bidId, seeder, cumulativeBytes)));
    }

    /// @dev The TIP-712 digest of a relay authorisation, hashed in memory past the free memory
    /// pointer (no allocation: the relayed path runs it once per call).
    function _relayDigest(
        address seeder,
        address relayer,
        uint256 maxFee,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32 digest) {
        bytes32 typeHash = RELAY_FEE_TYPEHASH;
        bytes32 separator = _domainSeparator();
        // Safe: uses memory past the free memory pointer as scratch and allocates nothing; the
        // addresses are cleaned of any dirty upper bits, as `abi.encode` would.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), and(seeder, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x40), and(relayer, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x60), maxFee)
            mstore(add(m, 0x80), nonce)
            mstore(add(m, 0xa0), deadline)
            let structHash := keccak256(m, 0xc0)
            // EIP-712: keccak256("\x19\x01" ++ domainSeparator ++ structHash).
            mstore(m, shl(240, 0x1901))
            mstore(add(m, 0x02), separator)
            mstore(add(m, 0x22), structHash)
            digest := keccak256(m, 0x42)
        }
    }

    /// @dev The first of bid `bidId`'s two slots.
    function _bidSlot(uint256 bidId) internal view returns (bytes32 slot) {
        Bid storage b = _bids[bidId];
        assembly ("memory-safe") {
            slot := b.slot
        }
    }

    /// @dev Unique per (bid, seeder): bid ids have 40 bits, addresses 160.
    function _earningKey(uint256 bidId, address seeder) internal pure returns (uint256) {
        return (bidId << 160) | uint160(seeder);
    }

    function _earningSlot(uint256 bidId, address seeder) internal view returns (bytes32 slot) {
        Earning storage e = _earnings[_earningKey(bidId, seeder)];
        assembly ("memory-safe") {
            slot := e.slot
        }
    }

    function _relaySlot(address seeder, address relayer) internal view returns (bytes32 slot) {
        RelayAccount storage a = _relays[seeder][relayer];
        assembly ("memory-safe") {
            slot := a.slot
        }
    }
}
