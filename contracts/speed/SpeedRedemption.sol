// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ISpeedMarket} from "../interfaces/ISpeedMarket.sol";
import {SpeedBook} from "./SpeedBook.sol";
import {SpeedPacking} from "./SpeedPacking.sol";
import {SpeedSlots} from "./SpeedSlots.sol";

/// @title SpeedRedemption
/// @notice Receipt redemption: single, batched and relayed. No function here calls another
/// contract, so none needs a reentrancy guard: value only moves between the market's own
/// sub-accounts (a bid's budget to a seeder's unclaimed earnings and a relayer's fees).
/// @dev The hot path is `_record`, one receipt against a bid held on the stack as its two storage
/// words (`head`, `tail`; see SpeedSlots). A batch keeps the bid across consecutive receipts for
/// it, so a run of receipts reads the bid's slots once and writes its budget once.
abstract contract SpeedRedemption is SpeedBook {
    // ----------------------------------------------------------------------------------------
    // External
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ISpeedMarket
    function redeem(PackedReceipt calldata receipt) external returns (uint256 amount) {
        uint256 key = receipt.key;
        (uint256 bidId, address seeder, ) = SpeedPacking.unpackReceipt(key);
        (bytes32 slot, uint256 head, uint256 tail) = _loadRedeemable(bidId);
        {
            uint256 p = _offset(receipt);
            RejectReason reason;
            uint256 detail;
            (reason, amount, detail) = _record(_receiptWorkspace(), p, head, SpeedSlots.remaining(tail), 0);
            if (reason != RejectReason.None) _revertFor(reason, detail, key, head);
        }
        _spend(slot, tail, amount);
        emit ReceiptRedeemed(seeder, SpeedPacking.packRedemption(key, amount));
    }

    /// @inheritdoc ISpeedMarket
    // solhint-disable-next-line function-max-lines
    function redeemBatch(PackedReceipt[] calldata receipts) external returns (uint256 total) {
        // One assembly loop over the packed calldata: `_record`'s checks and payment inlined, the
        // current bid held on the stack across a run of receipts for it. The workspace from
        // `_receiptWorkspace` grows by five words (allocated here):
        //   w + 0x160: the current bid's first slot     w + 0x180: its second word as loaded
        //   w + 0x1a0: why it takes no receipts, or 0   w + 0x1c0, 0x1e0: the two event topics
        uint256 w = _receiptWorkspace();
        {
            bytes32 redeemed = ReceiptRedeemed.selector;
            bytes32 rejected = ReceiptRejected.selector;
            // Safe: allocates the five words (moves the free memory pointer past them).
            assembly ("memory-safe") {
                mstore(0x40, add(w, 0x200))
                mstore(add(w, 0x180), 0)
                mstore(add(w, 0x1a0), 1) // UnknownBid: no bid loaded yet, and bid 0 never exists
                mstore(add(w, 0x1c0), redeemed)
                mstore(add(w, 0x1e0), rejected)
            }
        }
        // Safe (memory): writes scratch memory and the workspace only. Calldata: the ABI decoder
        // checked that all `receipts.length` 96-byte elements lie inside calldata, so `end` does
        // not overflow and every read is in bounds. Arithmetic: as in `_record` (cumulativeBytes
        // < 2**56, price < 2**72; amount <= remaining and paid + amount <= 2**96 - 1; unclaimed
        // <= paid), and `total` sums what the batch took from budgets, each below 2**96. Reason
        // codes are `RejectReason` members. The logs are the declared `ReceiptRedeemed` and
        // `ReceiptRejected`, built in scratch memory with the key's fields masked as
        // `SpeedPacking.unpackReceipt` does.
        assembly ("memory-safe") {
            // ReceiptRejected(bidId, seeder, cumulativeBytes, reason) for the receipt `key_`.
            function reject(w_, key_, reason_) {
                mstore(0x00, and(shr(160, key_), 0xffffffffffffff))
                mstore(0x20, reason_)
                log3(
                    0x00,
                    0x40,
                    mload(add(w_, 0x1e0)),
                    shr(216, key_),
                    and(key_, 0xffffffffffffffffffffffffffffffffffffffff)
                )
            }

            let end := add(receipts.offset, mul(receipts.length, 0x60))
            let bidId := 0
            let head := 0 // the current bid's first word; 0 while it takes no receipts
            let remaining := 0
            for {
                let p := receipts.offset
            } lt(p, end) {
                p := add(p, 0x60)
            } {
                let key := calldataload(p)
                if iszero(eq(shr(216, key), bidId)) {
                    // Write the current bid's budget back if receipts spent some.
                    {
                        let tail := mload(add(w, 0x180))
                        let spent := sub(and(tail, 0xffffffffffffffffffffffff), remaining)
                        if spent {
                            sstore(add(mload(add(w, 0x160)), 1), sub(tail, spent))
                            total := add(total, spent)
                        }
                    }
                    // Load the next bid: `_bids[bidId]`, two slots.
                    bidId := shr(216, key)
                    mstore(0x00, bidId)
                    mstore(0x20, _bids.slot)
                    let slot := keccak256(0x00, 0x40)
                    head := sload(slot)
                    let tail := sload(add(slot, 1))
                    mstore(add(w, 0x160), slot)
                    mstore(add(w, 0x180), tail)
                    mstore(add(w, 0x20), bidId)
                    remaining := and(tail, 0xffffffffffffffffffffffff)
                    // Redeemable until `_until(closedUntil, expiry, grace)`.
                    let until := and(shr(128, tail), 0xffffffff)
                    if iszero(until) {
                        until := add(and(shr(96, tail), 0xffffffff), shr(232, head))
                    }
                    let reason := 0
                    if gt(timestamp(), until) {
                        reason := 2
                    } // NotRedeemable
                    if iszero(and(head, 0xffffffffffffffffffffffffffffffffffffffff)) {
                        reason := 1
                    } // UnknownBid
                    if reason {
                        head := 0
                    }
                    mstore(add(w, 0x1a0), reason)
                }
                let seeder := and(key, 0xffffffffffffffffffffffffffffffffffffffff)
                if iszero(head) {
                    reject(w, key, mload(add(w, 0x1a0)))
                    continue
                }
                if iszero(seeder) {
                    reject(w, key, 6) // ZeroSeeder
                    continue
                }
                // The seeder's earning slot: `_earnings[bidId << 160 | seeder]`.
                mstore(0x00, or(shl(160, bidId), seeder))
                mstore(0x20, _earnings.slot)
                let slot := keccak256(0x00, 0x40)
                let word := sload(slot)
                let cumulativeBytes := and(shr(160, key), 0xffffffffffffff)
                if iszero(gt(cumulativeBytes, and(word, 0xffffffffffffffff))) {
                    reject(w, key, 3) // NotNewer
                    continue
                }
                // EIP-2098: vs is (v - 27) << 255 | s. Low s only (OpenZeppelin ECDSA's rule).
                mstore(
                    add(w, 0x140),
                    and(calldataload(add(p, 0x40)), 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
                )
                if gt(mload(add(w, 0x140)), 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) {
                    reject(w, key, 5) // MalleableSignature
                    continue
                }
                // Receipt(bidId, seeder, cumulativeBytes); bidId is written per bid.
                mstore(add(w, 0x40), seeder)
                mstore(add(w, 0x60), cumulativeBytes)
                mstore(add(w, 0xa2), keccak256(w, 0x80))
                mstore(add(w, 0xe0), keccak256(add(w, 0x80), 0x42))
                mstore(add(w, 0x100), add(shr(255, calldataload(add(p, 0x40))), 27))
                mstore(add(w, 0x120), calldataload(add(p, 0x20)))
                // The precompile writes nothing for a bad signature: clear the output first, so
                // it never matches a downloader.
                mstore(0x00, 0)
                pop(staticcall(gas(), 0x01, add(w, 0xe0), 0x80, 0x00, 0x20))
                if iszero(eq(mload(0x00), and(head, 0xffffffffffffffffffffffffffffffffffffffff))) {
                    reject(w, key, 4) // WrongSigner
                    continue
                }
                // What may be paid now (see `_payable`).
                let paid := and(shr(64, word), 0xffffffffffffffffffffffff)
                let amount := shr(20, mul(cumulativeBytes, and(shr(160, head), 0xffffffffffffffffff)))
                switch gt(amount, paid)
                case 0 {
                    amount := 0
                }
                default {
                    amount := sub(amount, paid)
                    if gt(amount, remaining) {
                        amount := remaining
                    }
                    if gt(amount, sub(0xffffffffffffffffffffffff, paid)) {
                        amount := sub(0xffffffffffffffffffffffff, paid)
                    }
                }
                remaining := sub(remaining, amount)
                // SpeedSlots.earning(cumulativeBytes, paid + amount, unclaimed + amount)
                sstore(slot, or(or(cumulativeBytes, shl(64, add(paid, amount))), shl(160, add(shr(160, word), amount))))
                // ReceiptRedeemed(seeder, redemption): the key with the amount (< 2**96) in place
                // of the seeder (`SpeedPacking.packRedemption`).
                mstore(0x00, or(and(key, not(0xffffffffffffffffffffffffffffffffffffffff)), amount))
                log2(0x00, 0x20, mload(add(w, 0x1c0)), seeder)
            }
            // Write the last bid's budget back if receipts spent some.
            let tail := mload(add(w, 0x180))
            let spent := sub(and(tail, 0xffffffffffffffffffffffff), remaining)
            if spent {
                sstore(add(mload(add(w, 0x160)), 1), sub(tail, spent))
                total := add(total, spent)
            }
        }
    }

    /// @inheritdoc ISpeedMarket
    function redeemRelayed(
        PackedReceipt calldata receipt,
        PackedRelay calldata relay
    ) external returns (uint256 amount, uint256 fee) {
        (uint256 bidId, address seeder, uint256 cumulativeBytes) = SpeedPacking.unpackReceipt(receipt.key);
        (bytes32 slot, uint256 head, uint256 tail) = _loadRedeemable(bidId);
        // The fee asked sits in the top 96 bits of the terms; `_record` caps it at what was paid.
        fee = relay.terms >> 160;
        {
            uint256 p = _offset(receipt);
            RejectReason reason;
            uint256 detail;
            (reason, amount, detail) = _record(_receiptWorkspace(), p, head, SpeedSlots.remaining(tail), fee);
            if (reason != RejectReason.None) _revertFor(reason, detail, receipt.key, head);
        }
        _spend(slot, tail, amount);
        if (fee > amount) fee = amount;
        _chargeRelay(seeder, fee, relay);
        emit ReceiptRelayed(bidId, seeder, msg.sender, cumulativeBytes, amount, fee);
    }

    /// @inheritdoc ISpeedMarket
    function payOwed(uint256 bidId, address seeder) external returns (uint256 amount) {
        (bytes32 bidSlot, uint256 head, uint256 tail) = _loadRedeemable(bidId);
        bytes32 slot = _earningSlot(bidId, seeder);
        uint256 word = SpeedSlots.load(slot);
        uint256 paid = SpeedSlots.paid(word);
        amount = _payable(
            SpeedPacking.worth(SpeedSlots.cumulativeBytes(word), SpeedSlots.pricePerMiB(head)),
            paid,
            SpeedSlots.remaining(tail)
        );
        if (amount == 0) revert SpeedNothingToPay();
        // Safe: paid + amount <= 2**96 - 1 (see _payable); unclaimed <= paid.
        unchecked {
            SpeedSlots.store(
                slot,
                SpeedSlots.earning(SpeedSlots.cumulativeBytes(word), paid + amount, SpeedSlots.unclaimed(word) + amount)
            );
        }
        _spend(bidSlot, tail, amount);
        emit OwedPaid(bidId, seeder, amount);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev Records the receipt at calldata offset `p` (a `PackedReceipt`) against its bid, whose
    /// first slot is `head` and which the caller checked takes receipts now, and pays what it adds
    /// (capped by `remaining`) into the seeder's unclaimed earnings, less `fee` capped at the
    /// payment. Cheap checks run before the signature check. The caller writes the bid's budget
    /// back and emits the event. `w` is a workspace from `_receiptWorkspace`.
    /// @return reason Why it paid nothing, or None (recorded; it pays 0 when the budget is spent).
    /// @return amount What it paid, at most `remaining`.
    /// @return detail The value the single-receipt path reverts with.
    // solhint-disable-next-line function-max-lines
    function _record(
        uint256 w,
        uint256 p,
        uint256 head,
        uint256 remaining,
        uint256 fee
    ) internal returns (RejectReason reason, uint256 amount, uint256 detail) {
        // Safe: reads the 96 bytes at `p`, in calldata (checked by the ABI decoder); writes scratch
        // memory and the caller's workspace `w` only (see `_receiptWorkspace`). Arithmetic:
        // cumulativeBytes < 2**56 and the price < 2**72, so `worth` < 2**128; amount <= worth - paid;
        // paid + amount <= 2**96 - 1 (capped by `room`); unclaimed <= paid, so unclaimed + amount
        // < 2**96, and fee <= amount. Reason codes are `RejectReason` members.
        assembly ("memory-safe") {
            // The receipt's fields, as `SpeedPacking.unpackReceipt` splits its key. Read from
            // calldata where needed rather than kept: the stack has no room to spare.
            function seederOf(p_) -> a {
                a := and(calldataload(p_), 0xffffffffffffffffffffffffffffffffffffffff)
            }
            function bytesOf(p_) -> n {
                n := and(shr(160, calldataload(p_)), 0xffffffffffffff)
            }
            // Who signed `Receipt(bidId, seeder, cumulativeBytes)` with low `s_` (checked by the
            // caller), or 0 when unrecoverable.
            function signer(w_, p_, s_) -> a {
                mstore(add(w_, 0x20), shr(216, calldataload(p_)))
                mstore(add(w_, 0x40), seederOf(p_))
                mstore(add(w_, 0x60), bytesOf(p_))
                mstore(add(w_, 0xa2), keccak256(w_, 0x80))
                mstore(add(w_, 0xe0), keccak256(add(w_, 0x80), 0x42))
                // EIP-2098: the top bit of vs is v - 27.
                mstore(add(w_, 0x100), add(shr(255, calldataload(add(p_, 0x40))), 27))
                mstore(add(w_, 0x120), calldataload(add(p_, 0x20)))
                mstore(add(w_, 0x140), s_)
                // The precompile writes nothing for a bad signature: clear the output word first,
                // so an unrecoverable signature gives 0, never a bid's downloader.
                mstore(0x00, 0)
                pop(staticcall(gas(), 0x01, add(w_, 0xe0), 0x80, 0x00, 0x20))
                a := mload(0x00)
            }
            // The earning word after paying for the receipt (see `_payable`), and the amount.
            function pay(word_, p_, head_, remaining_, fee_) -> next, amount_ {
                let cumulativeBytes := bytesOf(p_)
                let paid := and(shr(64, word_), 0xffffffffffffffffffffffff)
                let worth := shr(20, mul(cumulativeBytes, and(shr(160, head_), 0xffffffffffffffffff)))
                if gt(worth, paid) {
                    amount_ := sub(worth, paid)
                    if gt(amount_, remaining_) {
                        amount_ := remaining_
                    }
                    let room := sub(0xffffffffffffffffffffffff, paid)
                    if gt(amount_, room) {
                        amount_ := room
                    }
                }
                // A relay fee (zero unless relayed) never exceeds what the receipt paid.
                if gt(fee_, amount_) {
                    fee_ := amount_
                }
                // SpeedSlots.earning(cumulativeBytes, paid + amount, unclaimed + amount - fee)
                next := or(
                    or(cumulativeBytes, shl(64, add(paid, amount_))),
                    shl(160, sub(add(shr(160, word_), amount_), fee_))
                )
            }

            // Each step runs while no reason is set (flat `if`s: a `switch` would hold its value on
            // the stack, which has no room to spare).
            let slot
            let word
            if iszero(seederOf(p)) {
                reason := 6
            } // ZeroSeeder
            if iszero(reason) {
                // The seeder's earning slot: `_earnings[_earningKey(bidId, seeder)]`, keyed by
                // `bidId << 160 | seeder`.
                mstore(0x00, or(shl(160, shr(216, calldataload(p))), seederOf(p)))
                mstore(0x20, _earnings.slot)
                slot := keccak256(0x00, 0x40)
                word := sload(slot)
                if iszero(gt(bytesOf(p), and(word, 0xffffffffffffffff))) {
                    reason := 3 // NotNewer (detail: the recorded count)
                    detail := and(word, 0xffffffffffffffff)
                }
            }
            if iszero(reason) {
                // EIP-2098: vs without its top bit is s. Low s only (OpenZeppelin ECDSA's rule).
                detail := and(
                    calldataload(add(p, 0x40)),
                    0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
                )
                if gt(detail, 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) {
                    reason := 5 // MalleableSignature (detail: s)
                }
            }
            if iszero(reason) {
                detail := signer(w, p, detail)
                if iszero(eq(detail, and(head, 0xffffffffffffffffffffffffffffffffffffffff))) {
                    reason := 4 // WrongSigner (detail: the signer)
                }
            }
            if iszero(reason) {
                detail := 0
                word, amount := pay(word, p, head, remaining, fee)
                sstore(slot, word)
            }
        }
    }

    /// @dev What may be paid now: what is owed beyond `paid`, capped by the budget left and by
    /// what keeps `paid` within 96 bits. The rest stays owed (see `owed` and `payOwed`).
    function _payable(uint256 worth, uint256 paid, uint256 remaining) internal pure returns (uint256 amount) {
        if (worth <= paid) return 0;
        // Safe: worth > paid, and paid <= 2**96 - 1.
        unchecked {
            amount = worth - paid;
            if (amount > remaining) amount = remaining;
            uint256 room = SpeedSlots.MASK_96 - paid;
            if (amount > room) amount = room;
        }
    }

    /// @dev Checks the seeder's relay authorisation for the caller and books `fee` to the caller.
    /// Runs after the receipt's effects; any failure reverts the whole redemption.
    function _chargeRelay(address seeder, uint256 fee, PackedRelay calldata relay) private {
        (, uint256 maxFee, uint256 deadline, uint256 nonce) = SpeedPacking.unpackRelay(relay.terms);
        if (block.timestamp > deadline) revert SpeedRelayExpired(deadline, block.timestamp);
        bytes32 slot = _relaySlot(seeder, msg.sender);
        uint256 word = SpeedSlots.load(slot);
        if (nonce < SpeedSlots.relayNonce(word)) revert SpeedRelayNonceStale(nonce, SpeedSlots.relayNonce(word));
        uint256 taken = nonce == SpeedSlots.relayNonce(word) ? SpeedSlots.relayFeeTaken(word) : 0;
        // Safe: taken and fee are below 2**96 each.
        unchecked {
            if (taken + fee > maxFee) revert SpeedRelayFeeAboveCap(fee, taken, maxFee);
            taken += fee;
        }
        _checkRelaySigner(seeder, maxFee, nonce, deadline, relay);
        uint256 unclaimed = SpeedSlots.relayUnclaimed(word);
        if (fee > SpeedSlots.MASK_128 - unclaimed) revert SpeedRelayFeesOverflow(unclaimed, fee);
        // Safe: taken <= maxFee < 2**96 and unclaimed + fee < 2**128, checked above.
        unchecked {
            SpeedSlots.store(slot, SpeedSlots.relayAccount(nonce, taken, unclaimed + fee));
        }
    }

    /// @dev Reverts unless `seeder` signed this relay authorisation for the caller.
    function _checkRelaySigner(
        address seeder,
        uint256 maxFee,
        uint256 nonce,
        uint256 deadline,
        PackedRelay calldata relay
    ) private view {
        bytes32 digest = _relayDigest(seeder, msg.sender, maxFee, nonce, deadline);
        (address signer, uint256 highS) = _recoverCompact(digest, relay.r, relay.vs);
        if (highS != 0) revert SpeedMalleableSignature(bytes32(highS));
        if (signer != seeder) revert SpeedRelayWrongSigner(signer, seeder);
    }

    /// @dev Loads bid `bidId` (its first slot and both words) and reverts unless it takes receipts now.
    function _loadRedeemable(uint256 bidId) internal view returns (bytes32 slot, uint256 head, uint256 tail) {
        slot = _bidSlot(bidId);
        head = SpeedSlots.load(slot);
        tail = SpeedSlots.load(bytes32(uint256(slot) + 1));
        if (SpeedSlots.downloader(head) == address(0)) revert SpeedUnknownBid(bidId);
        uint256 until = _until(SpeedSlots.closedUntil(tail), SpeedSlots.expiry(tail), SpeedSlots.grace(head));
        if (block.timestamp > until) revert SpeedBidNotRedeemable(bidId, until);
    }

    /// @dev Takes `amount` out of the budget in the bid's second word `tail` (`slot` is its first).
    function _spend(bytes32 slot, uint256 tail, uint256 amount) internal {
        // Safe: amount <= remaining, the low 96 bits of tail, so no borrow reaches other fields.
        unchecked {
            if (amount != 0) SpeedSlots.store(bytes32(uint256(slot) + 1), tail - amount);
        }
    }

    /// @dev The calldata offset of a receipt, for `_record`.
    function _offset(PackedReceipt calldata receipt) private pure returns (uint256 p) {
        // Safe: only reads the offset of a calldata struct the ABI decoder checked.
        assembly ("memory-safe") {
            p := receipt
        }
    }

    /// @dev Reverts with the specific error for a receipt that paid nothing.
    function _revertFor(RejectReason reason, uint256 detail, uint256 key, uint256 head) private pure {
        (uint256 bidId, address seeder, uint256 cumulativeBytes) = SpeedPacking.unpackReceipt(key);
        if (reason == RejectReason.NotNewer) revert SpeedReceiptNotNewer(bidId, seeder, cumulativeBytes, detail);
        if (reason == RejectReason.MalleableSignature) revert SpeedMalleableSignature(bytes32(detail));
        if (reason == RejectReason.WrongSigner) {
            revert SpeedWrongSigner(bidId, address(uint160(detail)), SpeedSlots.downloader(head));
        }
        revert SpeedZeroSeeder(bidId);
    }
}
