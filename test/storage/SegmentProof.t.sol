// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Test} from "forge-std/Test.sol";
import {SegmentProof} from "../../contracts/libraries/SegmentProof.sol";

/// @dev External wrapper: SegmentProof works on calldata.
contract SegmentProofHarness {
    function verify(
        bytes32 root,
        bytes calldata segment,
        uint256 index,
        bytes32[] calldata proof,
        uint256 segmentSize,
        uint256 segmentCount
    ) external pure returns (bool) {
        return SegmentProof.verify(root, segment, index, proof, segmentSize, segmentCount);
    }
}

/// @dev Builds trees in memory by the spec (zero-padded leaves, 0x00/0x01 prefixes) and fuzzes
/// proofs against the library: valid ones verify, any wrong segment, index, root or sibling fails.
contract SegmentProofTest is Test {
    uint256 private constant SEGMENT = 32;
    SegmentProofHarness private harness = new SegmentProofHarness();

    function _segments(uint256 seed, uint256 count) private pure returns (bytes[] memory segs) {
        segs = new bytes[](count);
        for (uint256 i; i < count; ++i) {
            segs[i] = abi.encodePacked(keccak256(abi.encode(seed, i)));
        }
    }

    /// @dev Every level of the tree, leaves first, padded with bytes32(0) to a power of two.
    function _tree(bytes[] memory segs) private pure returns (bytes32[][] memory levels) {
        uint256 depth = SegmentProof.depthOf(segs.length);
        levels = new bytes32[][](depth + 1);
        levels[0] = new bytes32[](1 << depth);
        for (uint256 i; i < segs.length; ++i) {
            levels[0][i] = keccak256(abi.encodePacked(bytes1(0x00), segs[i]));
        }
        for (uint256 lvl = 1; lvl <= depth; ++lvl) {
            levels[lvl] = new bytes32[](1 << (depth - lvl));
            for (uint256 i; i < levels[lvl].length; ++i) {
                levels[lvl][i] = keccak256(
                    abi.encodePacked(bytes1(0x01), levels[lvl - 1][2 * i], levels[lvl - 1][2 * i + 1])
                );
            }
        }
    }

    function _proof(bytes32[][] memory levels, uint256 index) private pure returns (bytes32[] memory proof) {
        proof = new bytes32[](levels.length - 1);
        for (uint256 lvl; lvl < proof.length; ++lvl) {
            proof[lvl] = levels[lvl][(index >> lvl) ^ 1];
        }
    }

    function _setup(
        uint256 seed,
        uint256 count,
        uint256 index
    ) private pure returns (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, uint256 n, uint256 i) {
        n = bound(count, 1, 40);
        i = bound(index, 0, n - 1);
        segs = _segments(seed, n);
        levels = _tree(segs);
        root = levels[levels.length - 1][0];
    }

    function testFuzz_validProofVerifies(uint256 seed, uint256 count, uint256 index) public view {
        (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, uint256 n, uint256 i) = _setup(
            seed,
            count,
            index
        );
        assertTrue(harness.verify(root, segs[i], i, _proof(levels, i), SEGMENT, n));
    }

    function testFuzz_wrongSegmentFails(uint256 seed, uint256 count, uint256 index, uint256 bitToFlip) public view {
        (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, uint256 n, uint256 i) = _setup(
            seed,
            count,
            index
        );
        bytes memory bad = segs[i];
        uint256 bit = bound(bitToFlip, 0, SEGMENT * 8 - 1);
        bad[bit / 8] = bytes1(uint8(bad[bit / 8]) ^ uint8(1 << (bit % 8)));
        assertFalse(harness.verify(root, bad, i, _proof(levels, i), SEGMENT, n));
    }

    function testFuzz_wrongIndexFails(uint256 seed, uint256 count, uint256 index, uint256 other) public view {
        (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, uint256 n, uint256 i) = _setup(
            seed,
            count,
            index
        );
        vm.assume(n > 1);
        uint256 j = bound(other, 0, n - 2);
        if (j >= i) j++;
        // The right segment and path, claimed at another index.
        assertFalse(harness.verify(root, segs[i], j, _proof(levels, i), SEGMENT, n));
    }

    function testFuzz_wrongRootFails(uint256 seed, uint256 count, uint256 index, bytes32 otherRoot) public view {
        (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, uint256 n, uint256 i) = _setup(
            seed,
            count,
            index
        );
        vm.assume(otherRoot != root);
        assertFalse(harness.verify(otherRoot, segs[i], i, _proof(levels, i), SEGMENT, n));
    }

    function testFuzz_wrongSiblingFails(
        uint256 seed,
        uint256 count,
        uint256 index,
        uint256 level,
        bytes32 junk
    ) public view {
        (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, uint256 n, uint256 i) = _setup(
            seed,
            count,
            index
        );
        bytes32[] memory proof = _proof(levels, i);
        vm.assume(proof.length > 0);
        uint256 lvl = bound(level, 0, proof.length - 1);
        vm.assume(junk != proof[lvl]);
        proof[lvl] = junk;
        assertFalse(harness.verify(root, segs[i], i, proof, SEGMENT, n));
    }

    function test_revertsOnMalformedInput() public {
        (bytes[] memory segs, bytes32[][] memory levels, bytes32 root, , ) = _setup(1, 5, 2);
        bytes32[] memory proof = _proof(levels, 2);
        vm.expectRevert(abi.encodeWithSelector(SegmentProof.SegmentLengthMismatch.selector, 32, 31));
        harness.verify(root, new bytes(31), 2, proof, SEGMENT, 5);
        vm.expectRevert(abi.encodeWithSelector(SegmentProof.SegmentIndexOutOfRange.selector, 5, 5));
        harness.verify(root, segs[2], 5, proof, SEGMENT, 5);
        bytes32[] memory short = new bytes32[](2);
        vm.expectRevert(abi.encodeWithSelector(SegmentProof.SegmentProofDepthMismatch.selector, 3, 2));
        harness.verify(root, segs[2], 2, short, SEGMENT, 5);
    }

    function test_singleSegmentRootIsTheLeaf() public view {
        bytes memory seg = abi.encodePacked(keccak256("x"));
        bytes32 leaf = keccak256(abi.encodePacked(bytes1(0x00), seg));
        assertTrue(harness.verify(leaf, seg, 0, new bytes32[](0), SEGMENT, 1));
    }
}
