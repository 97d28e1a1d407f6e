// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title SpeedPacking
/// @notice The calldata packing of receipts and relay terms (see ISpeedMarket.PackedReceipt and
/// PackedRelay) and the price formula. The SDK's `sdk/src/speed/receipt.ts` mirrors each function.
library SpeedPacking {
    /// @dev Bits of a receipt key: bidId 40 | cumulativeBytes 56 | seeder 160.
    uint256 internal constant BID_ID_BITS = 40;
    uint256 internal constant BYTES_BITS = 56;
    /// @dev One MiB: the price is per 2**20 bytes.
    uint256 internal constant MIB_SHIFT = 20;

    /// @notice Splits a receipt key into its bid id, seeder and cumulative byte count.
    function unpackReceipt(uint256 key) internal pure returns (uint256 bidId, address seeder, uint256 cumulativeBytes) {
        bidId = key >> 216;
        cumulativeBytes = (key >> 160) & type(uint56).max;
        seeder = address(uint160(key));
    }

    /// @notice Builds a receipt key; reverts (returns false) if a field does not fit.
    function packReceipt(
        uint256 bidId,
        address seeder,
        uint256 cumulativeBytes
    ) internal pure returns (bool fits, uint256 key) {
        if (bidId > type(uint40).max || cumulativeBytes > type(uint56).max) return (false, 0);
        key = (bidId << 216) | (cumulativeBytes << 160) | uint256(uint160(seeder));
        fits = true;
    }

    /// @notice Packs the data of `ReceiptRedeemed`: the receipt's key with `amount` (below
    /// 2**96) in the seeder's place, `bidId 40 | cumulativeBytes 56 | amount 160`.
    function packRedemption(uint256 key, uint256 amount) internal pure returns (uint256) {
        return (key & ~uint256(type(uint160).max)) | amount;
    }

    /// @notice Splits relay terms: fee asked 96 | maxFee 96 | deadline 32 | nonce 32.
    function unpackRelay(
        uint256 terms
    ) internal pure returns (uint256 fee, uint256 maxFee, uint256 deadline, uint256 nonce) {
        fee = terms >> 160;
        maxFee = (terms >> 64) & type(uint96).max;
        deadline = (terms >> 32) & type(uint32).max;
        nonce = terms & type(uint32).max;
    }

    /// @notice What `cumulativeBytes` are worth at `pricePerMiB`, rounded down:
    /// `cumulativeBytes * pricePerMiB / 2**20`.
    function worth(uint256 cumulativeBytes, uint256 pricePerMiB) internal pure returns (uint256) {
        // Safe: cumulativeBytes < 2**64 and pricePerMiB < 2**72, so the product is below 2**136.
        unchecked {
            return (cumulativeBytes * pricePerMiB) >> MIB_SHIFT;
        }
    }
}
