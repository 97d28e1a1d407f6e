// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestBTT
/// @notice An 18-decimal stand-in for BTT on networks without the official token (Nile, Shasta,
/// the devnode, tests). The owner mints; nothing else differs from a plain ERC-20.
contract TestBTT is ERC20, Ownable {
    constructor(address owner_) ERC20("BitTorrent (test)", "BTT") Ownable(owner_) {}

    /// @notice Mints `amount` to `to`. Owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
