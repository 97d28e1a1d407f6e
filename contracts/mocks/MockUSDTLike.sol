// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockUSDTLike
/// @notice Behaves like TRON's USDT: a successful `transfer` returns false, `transferFrom` true.
contract MockUSDTLike is ERC20 {
    constructor() ERC20("Tether USD (mock)", "USDT") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Moves the tokens, then returns false as TRON's USDT does.
    function transfer(address to, uint256 amount) public override returns (bool) {
        _transfer(msg.sender, to, amount);
        return false;
    }
}
