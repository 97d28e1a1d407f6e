// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title ShardRecords
/// @notice The per-shard state of a storage deal, two words per shard in memory.
///
/// Word 0: `host` bits 0-159 | `passed` 160-175 | `claimed` 176-191 | `missed` 192-207 |
///         `streak` 208-215 | `generation` 216-231 | `flags` 232-239 | `start` 240-255.
/// Word 1: `price` per period bits 0-127 | `collateral` 128-255.
///
/// Storage (see IStorageMarket): a deal stores the hash of its opening records (generation 0,
/// counters zero), which callers pass back as calldata and which never change; the counters
/// (word 0 bits 176-255, the "state", 80 bits) are stored three shards to a slot, and a
/// successor's host and terms once per handover. `passed` is not stored: it is the settled
/// periods of the tenure less its misses. The SDK mirrors this layout in
/// sdk/src/storage/records.ts.
///
/// `passed`, `claimed` and `missed` count periods of the current host's tenure (at most the
/// deal's periods, below 2**16); `streak` counts consecutive misses; `generation` counts the
/// hosts the shard has had (0 for the one that opened the deal); `start` is the first period
/// of the tenure (a host that joins while a challenge is open starts with the next period).
library ShardRecords {
    /// @dev The shard is lost: its last host missed too many challenges in a row.
    uint256 internal constant FLAG_LOST = 1;
    /// @dev The host repaired the shard and earns the repair bounty with its first passed proof.
    uint256 internal constant FLAG_BOUNTY = 2;

    uint256 internal constant PASSED_SHIFT = 160;
    uint256 internal constant CLAIMED_SHIFT = 176;
    uint256 internal constant MISSED_SHIFT = 192;
    uint256 internal constant STREAK_SHIFT = 208;
    uint256 internal constant GENERATION_SHIFT = 216;
    uint256 internal constant FLAGS_SHIFT = 232;
    uint256 internal constant START_SHIFT = 240;
    /// @dev Where the stored state begins in word 0, and its width.
    uint256 internal constant STATE_SHIFT = CLAIMED_SHIFT;
    uint256 internal constant STATE_BITS = 80;
    uint256 internal constant STATE_MASK = (uint256(1) << STATE_BITS) - 1;
    /// @dev Shards whose state shares one storage slot.
    uint256 internal constant STATES_PER_SLOT = 3;
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

    function start(uint256 w0) internal pure returns (uint256) {
        return w0 >> START_SHIFT;
    }

    function price(uint256 w1) internal pure returns (uint256) {
        return uint128(w1);
    }

    function collateral(uint256 w1) internal pure returns (uint256) {
        return w1 >> 128;
    }

    /// @notice Word 0 of a fresh tenure from period `start_`: no passes, claims or misses yet.
    function newTenure(
        address host_,
        uint256 generation_,
        uint256 flags_,
        uint256 start_
    ) internal pure returns (uint256) {
        return
            uint256(uint160(host_)) |
            (generation_ << GENERATION_SHIFT) |
            (flags_ << FLAGS_SHIFT) |
            (start_ << START_SHIFT);
    }

    /// @notice Word 0 with `claimed` set to `passed`.
    function markClaimed(uint256 w0) internal pure returns (uint256) {
        return (w0 & ~(U16 << CLAIMED_SHIFT)) | (passed(w0) << CLAIMED_SHIFT);
    }

    /// @notice Word 0 with `flags` replaced.
    function withFlags(uint256 w0, uint256 flags_) internal pure returns (uint256) {
        return (w0 & ~(U8 << FLAGS_SHIFT)) | (flags_ << FLAGS_SHIFT);
    }

    /// @notice keccak256 of the words, packed (the opening records' commitment).
    function hash(uint256[] memory words) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := keccak256(add(words, 0x20), shl(5, mload(words)))
        }
    }
}
