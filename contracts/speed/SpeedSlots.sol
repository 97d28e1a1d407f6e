// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title SpeedSlots
/// @notice Word-level access to the packed storage of ISpeedMarket's structs, for the hot paths:
/// one SLOAD and one SSTORE per slot, no read-modify-write of fields. The bit positions are the
/// ones Solidity gives the structs (first member in the lowest bits), so the struct views read
/// the same data; test/speed pins this by comparing both.
/// @dev Bid slot 0:  downloader [0,160) | pricePerMiB [160,232) | grace [232,256)
///      Bid slot 1:  remaining [0,96) | expiry [96,128) | closedUntil [128,160) | version [160,168)
///                   | refunded [168,176) | next [176,216)
///      Earning:     cumulativeBytes [0,64) | paid [64,160) | unclaimed [160,256)
///      RelayAccount: nonce [0,32) | feeTaken [32,128) | unclaimed [128,256)
library SpeedSlots {
    uint256 internal constant MASK_32 = type(uint32).max;
    uint256 internal constant MASK_64 = type(uint64).max;
    uint256 internal constant MASK_72 = type(uint72).max;
    uint256 internal constant MASK_96 = type(uint96).max;
    uint256 internal constant MASK_128 = type(uint128).max;

    function load(bytes32 slot) internal view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(slot)
        }
    }

    function store(bytes32 slot, uint256 word) internal {
        assembly ("memory-safe") {
            sstore(slot, word)
        }
    }

    // Bid ------------------------------------------------------------------------------------

    function bidHead(address downloader, uint256 pricePerMiB, uint256 grace) internal pure returns (uint256) {
        return uint256(uint160(downloader)) | (pricePerMiB << 160) | (grace << 232);
    }

    function bidTail(uint256 remaining, uint256 expiry, uint256 version, uint256 next) internal pure returns (uint256) {
        return remaining | (expiry << 96) | (version << 160) | (next << 176);
    }

    function downloader(uint256 head) internal pure returns (address) {
        return address(uint160(head));
    }

    function pricePerMiB(uint256 head) internal pure returns (uint256) {
        return (head >> 160) & MASK_72;
    }

    function grace(uint256 head) internal pure returns (uint256) {
        return head >> 232;
    }

    function remaining(uint256 tail) internal pure returns (uint256) {
        return tail & MASK_96;
    }

    function expiry(uint256 tail) internal pure returns (uint256) {
        return (tail >> 96) & MASK_32;
    }

    function closedUntil(uint256 tail) internal pure returns (uint256) {
        return (tail >> 128) & MASK_32;
    }

    // Earning ----------------------------------------------------------------------------------

    function earning(uint256 cumulativeBytes, uint256 paid, uint256 unclaimed) internal pure returns (uint256) {
        return cumulativeBytes | (paid << 64) | (unclaimed << 160);
    }

    function cumulativeBytes(uint256 word) internal pure returns (uint256) {
        return word & MASK_64;
    }

    function paid(uint256 word) internal pure returns (uint256) {
        return (word >> 64) & MASK_96;
    }

    function unclaimed(uint256 word) internal pure returns (uint256) {
        return word >> 160;
    }

    // RelayAccount -------------------------------------------------------------------------------

    function relayAccount(uint256 nonce, uint256 feeTaken, uint256 unclaimed_) internal pure returns (uint256) {
        return nonce | (feeTaken << 32) | (unclaimed_ << 128);
    }

    function relayNonce(uint256 word) internal pure returns (uint256) {
        return word & MASK_32;
    }

    function relayFeeTaken(uint256 word) internal pure returns (uint256) {
        return (word >> 32) & MASK_96;
    }

    function relayUnclaimed(uint256 word) internal pure returns (uint256) {
        return word >> 128;
    }
}
