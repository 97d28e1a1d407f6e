// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title ShardRecords
/// @notice The packed per-shard state of a storage deal. A deal stores only the hash of its
/// records (`keccak256` of the words, two per shard); callers pass the records back in as
/// calldata and the market checks them against that hash. The SDK mirrors this layout in
/// sdk/src/storage/records.ts.
///
/// Word 0: `host` bits 0-159 | `passed` 160-175 | `claimed` 176-191 | `missed` 192-207 |
///         `streak` 208-215 | `generation` 216-231 | `flags` 232-239.
/// Word 1: `price` per period bits 0-127 | `collateral` 128-255.
///
/// `passed`, `claimed` and `missed` count periods of the current host's tenure (at most the
/// deal's periods, below 2**16); `streak` counts consecutive misses; `generation` counts the
/// hosts the shard has had (0 for the one that opened the deal).
library ShardRecords {
    /// @dev The shard is lost: its last host missed too many challenges in a row.
    uint256 internal constant FLAG_LOST = 1;
    /// @dev The host repaired the shard and earns the repair bounty with its first passed proof.
    uint256 internal constant FLAG_BOUNTY = 2;
    /// @dev The host joined while a challenge was open: that challenge can't count as a miss.
    uint256 internal constant FLAG_FRESH = 4;

    uint256 internal constant PASSED_SHIFT = 160;
    uint256 internal constant CLAIMED_SHIFT = 176;
    uint256 internal constant MISSED_SHIFT = 192;
    uint256 internal constant STREAK_SHIFT = 208;
    uint256 internal constant GENERATION_SHIFT = 216;
    uint256 internal constant FLAGS_SHIFT = 232;
    uint256 internal constant U16 = 0xffff;
    uint256 internal constant U8 = 0xff;

    function host(uint256 w0) internal pure returns (address) {
        return address(uint160(w0));
    }

    function passed(uint256 w0) internal pure returns (uint256) {
        return (w0 >> PASSED_SHIFT) & U16;
    }

    function claimed(uint256 w0) internal pure returns (uint256) {
        return (w0 >> CLAIMED_SHIFT) & U16;
    }

    function missed(uint256 w0) internal pure returns (uint256) {
        return (w0 >> MISSED_SHIFT) & U16;
    }

    function streak(uint256 w0) internal pure returns (uint256) {
        return (w0 >> STREAK_SHIFT) & U8;
    }

    function generation(uint256 w0) internal pure returns (uint256) {
        return (w0 >> GENERATION_SHIFT) & U16;
    }

    function flags(uint256 w0) internal pure returns (uint256) {
        return (w0 >> FLAGS_SHIFT) & U8;
    }

    function price(uint256 w1) internal pure returns (uint256) {
        return uint128(w1);
    }

    function collateral(uint256 w1) internal pure returns (uint256) {
        return w1 >> 128;
    }

    /// @notice Word 0 of a fresh tenure: no passes, claims or misses yet.
    function newTenure(address host_, uint256 generation_, uint256 flags_) internal pure returns (uint256) {
        return uint256(uint160(host_)) | (generation_ << GENERATION_SHIFT) | (flags_ << FLAGS_SHIFT);
    }

    /// @notice Word 0 with `claimed` set to `passed`.
    function markClaimed(uint256 w0) internal pure returns (uint256) {
        return (w0 & ~(U16 << CLAIMED_SHIFT)) | (passed(w0) << CLAIMED_SHIFT);
    }

    /// @notice Word 0 with `flags` replaced.
    function withFlags(uint256 w0, uint256 flags_) internal pure returns (uint256) {
        return (w0 & ~(U8 << FLAGS_SHIFT)) | (flags_ << FLAGS_SHIFT);
    }

    /// @notice The commitment a deal stores: keccak256 of the words, packed.
    function hash(uint256[] memory words) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := keccak256(add(words, 0x20), shl(5, mload(words)))
        }
    }
}
