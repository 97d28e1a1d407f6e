// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IStorageMarket} from "../interfaces/IStorageMarket.sol";
import {SegmentProof} from "../libraries/SegmentProof.sol";
import {ShardRecords} from "../libraries/ShardRecords.sol";
import {StorageMarketBase} from "./StorageMarketBase.sol";

/// @title StorageChallenges
/// @notice Opening challenges, drawing seeds from a committed future block, and accepting proofs.
/// @dev Seed: `keccak256(abi.encode(blockhash(seedBlock), dealId, period))`. A TRON block id
/// begins with the block number, so the hash is never used alone (TRON.md). Shard `i` is asked
/// for segments `uint256(keccak256(abi.encode(seed, i, j))) % segmentCount` for `j` below the
/// deal's `segmentsPerPeriod` (sdk/src/storage/challenge.ts).
/// A challenge is never decided on a zero hash: if the seed block is out of the 256-block window,
/// `drawSeed` reopens the challenge on a new future block.
abstract contract StorageChallenges is IStorageMarket, StorageMarketBase {
    using ShardRecords for uint256;

    // ----------------------------------------------------------------------------------------
    // External
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IStorageMarket
    function openChallenge(uint256 dealId) external {
        Deal storage d = _activeDeal(dealId);
        uint8 state = _challenges[dealId].state;
        if (state != _CHALLENGE_IDLE) revert StorageWrongChallengeState(dealId, state);
        uint256 period = d.settled;
        if (period >= d.periods) revert StorageNoPeriodsLeft(dealId);
        uint64 startsAt = uint64(d.start) + uint64(period) * d.periodLength;
        if (block.timestamp < startsAt) revert StoragePeriodNotStarted(period, startsAt);
        uint56 seedBlock = uint56(block.number) + _seedDelay;
        _challenges[dealId] = Challenge({
            seedBlock: seedBlock,
            segmentsPerPeriod: d.segmentsPerPeriod,
            deadline: 0,
            provenMask: 0,
            segmentCount: uint48(_segmentCountOf(d)),
            segmentLog2: d.segmentLog2,
            shardCount: d.shardCount,
            state: _CHALLENGE_AWAITING_SEED,
            period: uint16(period)
        });
        emit ChallengeOpened(dealId, period, seedBlock);
    }

    /// @inheritdoc IStorageMarket
    function drawSeed(uint256 dealId) external {
        Challenge memory c = _challenges[dealId];
        if (c.state != _CHALLENGE_AWAITING_SEED) revert StorageWrongChallengeState(dealId, c.state);
        if (!_tryDraw(dealId, c)) {
            // Out of the 256-block window: recommit to a future block, never to a zero hash.
            uint56 seedBlock = uint56(block.number) + _seedDelay;
            _challenges[dealId].seedBlock = seedBlock;
            emit ChallengeOpened(dealId, c.period, seedBlock);
        }
    }

    /// @inheritdoc IStorageMarket
    function submitProof(
        uint256 dealId,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        bytes calldata segment,
        bytes32[] calldata proof
    ) external {
        Challenge memory c = _openChallengeOf(dealId);
        if (shard >= c.shardCount) revert StorageShardOutOfRange(shard, c.shardCount);
        uint256 bit = uint256(1) << shard;
        if (c.provenMask & bit != 0) revert StorageAlreadyProven(shard);
        _requireDue(dealId, c, shard);
        SegmentProof.checkPath(shard, c.shardCount, rootPath.length);
        if (SegmentProof.processPath(shardRoot, shard, rootPath) != _deals[dealId].rootsCommitment) {
            revert StorageInvalidShardRoot(dealId, shard);
        }
        _verifySegment(_seeds[dealId], c, shard, shardRoot, segment, proof);
        // No event here (1,700 gas of a ~60,000 budget): the proven set is `challenge(dealId)`'s
        // `provenMask`, and `PeriodSettled` records it for good.
        _challenges[dealId].provenMask = c.provenMask | uint64(bit);
    }

    /// @inheritdoc IStorageMarket
    function submitProofs(uint256 dealId, bytes32[] calldata roots, ShardProof[] calldata proofs) external {
        Challenge memory c = _openChallengeOf(dealId);
        uint256 count = c.shardCount;
        if (roots.length != count) revert StorageLengthMismatch(count, roots.length);
        if (_rootsCommitment(roots) != _deals[dealId].rootsCommitment) revert StorageInvalidShardRoot(dealId, count);
        bytes32 seed = _seeds[dealId];
        uint256 mask = c.provenMask;
        for (uint256 i; i < proofs.length; ++i) {
            ShardProof calldata p = proofs[i];
            uint256 shard = p.shard;
            if (shard >= count) revert StorageShardOutOfRange(shard, count);
            uint256 bit = uint256(1) << shard;
            if (mask & bit != 0) continue;
            _requireDue(dealId, c, shard);
            _verifySegment(seed, c, shard, roots[shard], p.segment, p.proof);
            mask |= bit;
        }
        _challenges[dealId].provenMask = uint64(mask);
        emit ProofsAccepted(dealId, c.period, uint64(mask));
    }

    /// @inheritdoc IStorageMarket
    function challengedSegments(uint256 dealId, uint256 shard) external view returns (uint256[] memory indices) {
        Challenge memory c = _challenges[dealId];
        if (c.state != _CHALLENGE_OPEN) revert StorageWrongChallengeState(dealId, c.state);
        if (shard >= c.shardCount) revert StorageShardOutOfRange(shard, c.shardCount);
        indices = new uint256[](c.segmentsPerPeriod);
        bytes32 seed = _seeds[dealId];
        for (uint256 j; j < indices.length; ++j) indices[j] = _segmentIndex(seed, shard, j, c.segmentCount);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev The deal's challenge, open for proofs: draws the seed first if it is due.
    function _openChallengeOf(uint256 dealId) private returns (Challenge memory c) {
        c = _challenges[dealId];
        if (c.state == _CHALLENGE_AWAITING_SEED) {
            // A proof cannot draw a seed that is out of the window: drawSeed reopens those.
            if (!_tryDraw(dealId, c)) revert StorageWrongChallengeState(dealId, c.state);
            c = _challenges[dealId];
        } else if (c.state != _CHALLENGE_OPEN) {
            revert StorageWrongChallengeState(dealId, c.state);
        }
        if (block.timestamp > c.deadline) revert StorageChallengeExpired(c.deadline);
    }

    /// @dev Draws the seed if the seed block's hash is available; returns false if it is too old.
    function _tryDraw(uint256 dealId, Challenge memory c) private returns (bool) {
        if (block.number <= c.seedBlock) revert StorageSeedNotReady(c.seedBlock);
        bytes32 blockHash = blockhash(c.seedBlock);
        if (blockHash == bytes32(0)) return false;
        bytes32 seed = keccak256(abi.encode(blockHash, dealId, uint256(c.period)));
        uint40 deadline = uint40(block.timestamp + _responseWindow);
        _seeds[dealId] = seed;
        Challenge storage s = _challenges[dealId];
        s.deadline = deadline;
        s.state = _CHALLENGE_OPEN;
        emit SeedDrawn(dealId, c.period, seed, deadline);
        return true;
    }

    /// @dev Reverts unless shard `shard` is live and its tenure includes the challenged period: a
    /// proof counts only for the shard's current host and generation.
    function _requireDue(uint256 dealId, Challenge memory c, uint256 shard) private view {
        uint256 w0 = _stateOf(dealId, shard);
        if (w0.flags() & ShardRecords.FLAG_LOST != 0) revert StorageWrongShardState(shard, true);
        if (w0.start() > c.period) revert StorageShardNotDue(shard);
    }

    /// @dev Reverts unless `segments` are the challenged segments of the shard with root `root`,
    /// and `proof` their paths, each concatenated in challenge order.
    function _verifySegment(
        bytes32 seed,
        Challenge memory c,
        uint256 shard,
        bytes32 root,
        bytes calldata segments,
        bytes32[] calldata proof
    ) private pure {
        uint256 k = c.segmentsPerPeriod;
        uint256 size = k << c.segmentLog2;
        if (segments.length != size) revert SegmentProof.SegmentLengthMismatch(size, segments.length);
        size = k * SegmentProof.depthOf(c.segmentCount);
        if (proof.length != size) revert SegmentProof.SegmentProofDepthMismatch(size, proof.length);
        for (uint256 j; j < k; ++j) _verifyOne(seed, c, shard, root, segments, proof, j);
    }

    /// @dev Checks the `j`th segment and path (lengths checked by the caller; the index is below
    /// the segment count by construction).
    function _verifyOne(
        bytes32 seed,
        Challenge memory c,
        uint256 shard,
        bytes32 root,
        bytes calldata segments,
        bytes32[] calldata proof,
        uint256 j
    ) private pure {
        uint256 index = _segmentIndex(seed, shard, j, c.segmentCount);
        uint256 size = uint256(1) << c.segmentLog2;
        bytes32 leaf = SegmentProof.leafHash(segments[j * size:(j + 1) * size]);
        size = SegmentProof.depthOf(c.segmentCount);
        if (SegmentProof.processPath(leaf, index, proof[j * size:(j + 1) * size]) != root) {
            revert StorageInvalidProof(shard, index);
        }
    }

    function _segmentIndex(
        bytes32 seed,
        uint256 shard,
        uint256 j,
        uint256 segmentCount
    ) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, shard, j))) % segmentCount;
    }

    /// @dev The Merkle root over the shard roots (SegmentProof node rule, roots as leaves,
    /// zero-padded to a power of two), computed in place in scratch memory.
    function _rootsCommitment(bytes32[] calldata roots) internal pure returns (bytes32 root) {
        uint256 width = uint256(1) << SegmentProof.depthOf(roots.length);
        assembly ("memory-safe") {
            // Scratch past the free pointer: [0x01][left][right] at ptr, the level at ptr + 0x60.
            let ptr := mload(0x40)
            let level := add(ptr, 0x60)
            calldatacopy(level, roots.offset, shl(5, roots.length))
            // Zero padding up to the power of two (memory past the free pointer may be dirty).
            for {
                let i := roots.length
            } lt(i, width) {
                i := add(i, 1)
            } {
                mstore(add(level, shl(5, i)), 0)
            }
            mstore8(ptr, 1)
            for {} gt(width, 1) {} {
                width := shr(1, width)
                for {
                    let i := 0
                } lt(i, width) {
                    i := add(i, 1)
                } {
                    let pair := add(level, shl(6, i))
                    mstore(add(ptr, 1), mload(pair))
                    mstore(add(ptr, 33), mload(add(pair, 0x20)))
                    mstore(add(level, shl(5, i)), keccak256(ptr, 65))
                }
            }
            root := mload(level)
        }
    }
}
