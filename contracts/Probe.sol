// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;
contract Probe { function chain() external view returns (uint256) { return block.chainid & 0xffffffff; } }
