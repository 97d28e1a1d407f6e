// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SegmentProof
/// @notice Merkle proofs of one segment of a shard. The SDK (sdk/src/storage/merkle.ts) builds
/// byte-identical trees; this comment is the shared specification.
///
/// - A shard is zero-padded to a multiple of `segmentSize` (a power of two) and cut into
///   `segmentCount = paddedShardSize / segmentSize` segments.
/// - `leaf_i = keccak256(0x00 ‖ segment_i)`; an inner node is `keccak256(0x01 ‖ left ‖ right)`.
/// - The leaf level is padded to the next power of two with `bytes32(0)`: the literal zero, not a
///   hash of anything. `depth = log2(nextPow2(segmentCount))`; one segment gives `root = leaf_0`.
/// - A proof lists the siblings from the leaf level upward. Bit `l` of the index says whether the
///   node at level `l` is a right child, so a proof is bound to its index.
///
/// The same node rule, with the shard roots themselves as leaves (no leaf hash), commits a deal
/// to all its shard roots at once (`processPath` with a root path).
library SegmentProof {
    /// @notice The segment is `actual` bytes long; the deal's segments are `expected` bytes.
    error SegmentLengthMismatch(uint256 expected, uint256 actual);
    /// @notice Index `index` is not below `count`.
    error SegmentIndexOutOfRange(uint256 index, uint256 count);
    /// @notice The proof has `actual` siblings; the tree is `expected` levels deep.
    error SegmentProofDepthMismatch(uint256 expected, uint256 actual);

    /// @notice The depth of a tree over `leafCount` leaves: ceil(log2(leafCount)), 0 for one leaf.
    function depthOf(uint256 leafCount) internal pure returns (uint256 depth) {
        if (leafCount > 1) depth = Math.log2(leafCount - 1) + 1;
    }

    /// @notice `keccak256(0x00 ‖ segment)`.
    function leafHash(bytes calldata segment) internal pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            // Scratch memory past the free pointer; nothing is allocated.
            let ptr := mload(0x40)
            mstore8(ptr, 0)
            calldatacopy(add(ptr, 1), segment.offset, segment.length)
            leaf := keccak256(ptr, add(segment.length, 1))
        }
    }

    /// @notice Folds `path` (siblings from the bottom up) onto `node` at position `index`.
    function processPath(bytes32 node, uint256 index, bytes32[] calldata path) internal pure returns (bytes32 root) {
        assembly ("memory-safe") {
            // Scratch memory past the free pointer: [0x01][left][right], 65 bytes.
            let ptr := mload(0x40)
            mstore8(ptr, 1)
            let left := add(ptr, 1)
            let right := add(ptr, 33)
            let p := path.offset
            for {
                let end := add(p, shl(5, path.length))
            } lt(p, end) {
                p := add(p, 0x20)
            } {
                switch and(index, 1)
                case 0 {
                    mstore(left, node)
                    mstore(right, calldataload(p))
                }
                default {
                    mstore(left, calldataload(p))
                    mstore(right, node)
                }
                node := keccak256(ptr, 65)
                index := shr(1, index)
            }
            root := node
        }
    }

    /// @notice Whether `segment` is segment `index` of the shard with root `root`.
    /// @dev Reverts on malformed input (length, index, depth); returns false on a wrong proof.
    function verify(
        bytes32 root,
        bytes calldata segment,
        uint256 index,
        bytes32[] calldata proof,
        uint256 segmentSize,
        uint256 segmentCount
    ) internal pure returns (bool) {
        if (segment.length != segmentSize) revert SegmentLengthMismatch(segmentSize, segment.length);
        checkPath(index, segmentCount, proof.length);
        return processPath(leafHash(segment), index, proof) == root;
    }

    /// @notice Reverts unless `index < count` and `pathLength == depthOf(count)`.
    function checkPath(uint256 index, uint256 count, uint256 pathLength) internal pure {
        if (index >= count) revert SegmentIndexOutOfRange(index, count);
        uint256 depth = depthOf(count);
        if (pathLength != depth) revert SegmentProofDepthMismatch(depth, pathLength);
    }
}
