// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;
import {Test} from "forge-std/Test.sol";
import {Probe} from "../contracts/Probe.sol";
contract ProbeTest is Test { function testFuzz_x(uint8 a) public { Probe p = new Probe(); assertEq(p.chain() + a, p.chain() + a); } }
