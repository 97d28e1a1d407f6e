// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockSenderFeeToken
/// @notice Charges `feeBps` (1% to start) of every transfer to the SENDER on top of the amount and
/// burns it: the recipient gets exactly the amount, the sender loses more. A receiver-side check
/// alone cannot see the fee.
contract MockSenderFeeToken is ERC20 {
    uint256 public feeBps = 100;

    constructor() ERC20("Sender-fee token (mock)", "SFEE") {}

    function setFeeBps(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        super._update(from, address(0), (value * feeBps) / 10_000);
        super._update(from, to, value);
    }
}
