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
abstract contract SpeedRedemption is SpeedBook {
    /// @dev The fields of a bid a redemption needs. A batch keeps it in memory across consecutive
    /// receipts for the same bid, so the bid's two slots are read once and written once.
    struct BidCache {
        uint256 id;
        bytes32 slot;
        address downloader;
        uint256 pricePerMiB;
        uint256 tail;
        uint256 remaining;
        uint256 until;
        bool dirty;
        bool relayed;
        uint256 fee;
    }

    // ----------------------------------------------------------------------------------------
    // External
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ISpeedMarket
    function redeem(PackedReceipt calldata receipt) external returns (uint256 amount) {
        (uint256 bidId, address seeder, uint256 cumulativeBytes) = SpeedPacking.unpackReceipt(receipt.key);
        BidCache memory c = _loadRedeemable(bidId);
        RejectReason reason;
        uint256 detail;
        (reason, amount, detail) = _apply(c, seeder, cumulativeBytes, receipt.r, receipt.vs);
        if (reason != RejectReason.None) _revertFor(reason, detail, c, seeder, cumulativeBytes);
        _flush(c);
    }

    /// @inheritdoc ISpeedMarket
    function redeemBatch(PackedReceipt[] calldata receipts) external returns (uint256 total) {
        BidCache memory c;
        uint256 count = receipts.length;
        for (uint256 i; i < count; ++i) {
            PackedReceipt calldata receipt = receipts[i];
            (uint256 bidId, address seeder, uint256 cumulativeBytes) = SpeedPacking.unpackReceipt(receipt.key);
            if (bidId != c.id) {
                _flush(c);
                _load(c, bidId);
            }
            RejectReason reason;
            uint256 amount;
            if (c.downloader == address(0)) reason = RejectReason.UnknownBid;
            else if (block.timestamp > c.until) reason = RejectReason.NotRedeemable;
            else (reason, amount,) = _apply(c, seeder, cumulativeBytes, receipt.r, receipt.vs);
            if (reason != RejectReason.None) emit ReceiptRejected(bidId, seeder, cumulativeBytes, reason);
            // Safe: every amount comes out of a bid's remaining budget, below 2**96.
            unchecked {
                total += amount;
            }
        }
        _flush(c);
    }

    /// @inheritdoc ISpeedMarket
    function redeemRelayed(PackedReceipt calldata receipt, PackedRelay calldata relay)
        external
        returns (uint256 amount, uint256 fee)
    {
        (uint256 bidId, address seeder, uint256 cumulativeBytes) = SpeedPacking.unpackReceipt(receipt.key);
        BidCache memory c = _loadRedeemable(bidId);
        c.relayed = true;
        // The fee asked sits in the top 96 bits of the terms; `_apply` caps it at what was paid.
        c.fee = relay.terms >> 160;
        {
            RejectReason reason;
            uint256 detail;
            (reason, amount, detail) = _apply(c, seeder, cumulativeBytes, receipt.r, receipt.vs);
            if (reason != RejectReason.None) _revertFor(reason, detail, c, seeder, cumulativeBytes);
        }
        _flush(c);
        fee = c.fee;
        _chargeRelay(seeder, fee, relay);
        emit ReceiptRelayed(bidId, seeder, msg.sender, cumulativeBytes, amount, fee);
    }

    /// @inheritdoc ISpeedMarket
    function payOwed(uint256 bidId, address seeder) external returns (uint256 amount) {
        BidCache memory c = _loadRedeemable(bidId);
        bytes32 slot = _earningSlot(bidId, seeder);
        uint256 word = SpeedSlots.load(slot);
        uint256 paid = SpeedSlots.paid(word);
        amount = _payable(SpeedPacking.worth(SpeedSlots.cumulativeBytes(word), c.pricePerMiB), paid, c.remaining);
        if (amount == 0) revert SpeedNothingToPay();
        // Safe: amount <= remaining; paid + amount <= 2**96 - 1 (see _payable); unclaimed <= paid.
        unchecked {
            c.remaining -= amount;
            SpeedSlots.store(
                slot, SpeedSlots.earning(SpeedSlots.cumulativeBytes(word), paid + amount, SpeedSlots.unclaimed(word) + amount)
            );
        }
        c.dirty = true;
        _flush(c);
        emit OwedPaid(bidId, seeder, amount);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev Records a receipt against cache `c` (already checked redeemable) and pays what it
    /// adds into the seeder's unclaimed earnings. Cheap checks run before the signature check.
    /// @return reason Why it paid nothing, or None.
    /// @return amount What it paid (0 with reason None when the budget is spent: still recorded).
    /// @return detail The value the single-receipt path reverts with.
    function _apply(BidCache memory c, address seeder, uint256 cumulativeBytes, bytes32 r, bytes32 vs)
        internal
        returns (RejectReason reason, uint256 amount, uint256 detail)
    {
        if (seeder == address(0)) return (RejectReason.ZeroSeeder, 0, 0);
        bytes32 slot = _earningSlot(c.id, seeder);
        uint256 word = SpeedSlots.load(slot);
        if (cumulativeBytes <= SpeedSlots.cumulativeBytes(word)) {
            return (RejectReason.NotNewer, 0, SpeedSlots.cumulativeBytes(word));
        }
        (reason, detail) = _checkSigner(c, seeder, cumulativeBytes, r, vs);
        if (reason != RejectReason.None) return (reason, 0, detail);
        uint256 paid = SpeedSlots.paid(word);
        amount = _payable(SpeedPacking.worth(cumulativeBytes, c.pricePerMiB), paid, c.remaining);
        // A relay fee (zero unless relayed) never exceeds what the receipt paid.
        if (c.fee > amount) c.fee = amount;
        // Safe: amount <= remaining; paid + amount <= 2**96 - 1 (see _payable); unclaimed <= paid;
        // fee <= amount; cumulativeBytes < 2**56 (it came out of a 56-bit field).
        unchecked {
            c.remaining -= amount;
            SpeedSlots.store(
                slot, SpeedSlots.earning(cumulativeBytes, paid + amount, SpeedSlots.unclaimed(word) + amount - c.fee)
            );
        }
        c.dirty = true;
        // A relayed redemption reports itself, with the fee, in one `ReceiptRelayed`.
        if (!c.relayed) emit ReceiptRedeemed(c.id, seeder, cumulativeBytes, amount);
    }

    /// @dev Whether the bid's downloader signed this receipt for this contract and chain.
    function _checkSigner(BidCache memory c, address seeder, uint256 cumulativeBytes, bytes32 r, bytes32 vs)
        private
        view
        returns (RejectReason reason, uint256 detail)
    {
        (address signer, uint256 highS) = _receiptSigner(c.id, seeder, cumulativeBytes, r, vs);
        if (highS != 0) return (RejectReason.MalleableSignature, highS);
        // An unrecoverable signature gives signer 0, never a bid's downloader.
        if (signer != c.downloader) return (RejectReason.WrongSigner, uint160(signer));
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
        // Safe: taken <= maxFee < 2**96; unclaimed fees are part of the market's pool (< 2**96).
        unchecked {
            SpeedSlots.store(slot, SpeedSlots.relayAccount(nonce, taken, SpeedSlots.relayUnclaimed(word) + fee));
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

    /// @dev Loads bid `bidId` into a fresh cache and reverts unless it takes receipts now.
    function _loadRedeemable(uint256 bidId) internal view returns (BidCache memory c) {
        _load(c, bidId);
        if (c.downloader == address(0)) revert SpeedUnknownBid(bidId);
        if (block.timestamp > c.until) revert SpeedBidNotRedeemable(bidId, c.until);
    }

    function _load(BidCache memory c, uint256 bidId) internal view {
        bytes32 slot = _bidSlot(bidId);
        uint256 head = SpeedSlots.load(slot);
        uint256 tail = SpeedSlots.load(bytes32(uint256(slot) + 1));
        c.id = bidId;
        c.slot = slot;
        c.downloader = SpeedSlots.downloader(head);
        c.pricePerMiB = SpeedSlots.pricePerMiB(head);
        c.tail = tail;
        c.remaining = SpeedSlots.remaining(tail);
        c.until = _until(SpeedSlots.closedUntil(tail), SpeedSlots.expiry(tail), SpeedSlots.grace(head));
        c.dirty = false;
    }

    /// @dev Writes the cached remaining budget back if a receipt changed it.
    function _flush(BidCache memory c) internal {
        if (c.dirty) SpeedSlots.store(bytes32(uint256(c.slot) + 1), SpeedSlots.withRemaining(c.tail, c.remaining));
    }

    /// @dev Reverts with the specific error for a receipt that paid nothing.
    function _revertFor(RejectReason reason, uint256 detail, BidCache memory c, address seeder, uint256 cumulativeBytes)
        private
        pure
    {
        if (reason == RejectReason.NotNewer) revert SpeedReceiptNotNewer(c.id, seeder, cumulativeBytes, detail);
        if (reason == RejectReason.MalleableSignature) revert SpeedMalleableSignature(bytes32(detail));
        if (reason == RejectReason.WrongSigner) revert SpeedWrongSigner(c.id, address(uint160(detail)), c.downloader);
        revert SpeedZeroSeeder(c.id);
    }
}
