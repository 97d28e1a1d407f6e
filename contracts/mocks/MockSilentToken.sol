// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockSilentToken
/// @notice An ERC-20 whose `transfer` and `transferFrom` fail with no revert data at all once
/// `silent` is set, as some old tokens and out-of-gas failures do.
contract MockSilentToken is ERC20 {
    bool public silent;

    constructor() ERC20("Silent token (mock)", "SIL") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setSilent(bool silent_) external {
        silent = silent_;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        _failIfSilent();
        return super.transfer(to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        _failIfSilent();
        return super.transferFrom(from, to, amount);
    }

    function _failIfSilent() private view {
        if (!silent) return;
        assembly ("memory-safe") {
            revert(0, 0)
        }
    }
}
