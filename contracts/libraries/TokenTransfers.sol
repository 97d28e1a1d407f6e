// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title TokenTransfers
/// @notice The one pair of functions that moves tokens in bttkit. Neither trusts the token's
/// return value: TRON's USDT returns false from a successful `transfer` (TRON.md), so OpenZeppelin's
/// SafeERC20 would revert on it. Both measure balances instead.
library TokenTransfers {
    /// @notice The token call reverted without a reason of its own.
    error TokenCallFailed(address token);
    /// @notice A push to `to` moved `received` instead of `expected`.
    error TokenPushShortfall(address token, address to, uint256 expected, uint256 received);

    /// @notice Pulls `amount` from `from` with transferFrom and returns what actually arrived.
    function pull(IERC20 token, address from, uint256 amount) internal returns (uint256 received) {
        uint256 before = token.balanceOf(address(this));
        _call(token, abi.encodeCall(IERC20.transferFrom, (from, address(this), amount)));
        uint256 afterwards = token.balanceOf(address(this));
        // A token whose transferFrom lowers our balance is treated as delivering nothing.
        received = afterwards > before ? afterwards - before : 0;
    }

    /// @notice Sends `amount` to `to` and checks that `to`'s balance rose by exactly `amount`.
    function push(IERC20 token, address to, uint256 amount) internal {
        uint256 before = token.balanceOf(to);
        _call(token, abi.encodeCall(IERC20.transfer, (to, amount)));
        uint256 afterwards = token.balanceOf(to);
        uint256 received = afterwards > before ? afterwards - before : 0;
        if (received != amount) revert TokenPushShortfall(address(token), to, amount, received);
    }

    /// @dev Calls the token, bubbling its revert data; its return value is ignored on purpose.
    function _call(IERC20 token, bytes memory data) private {
        (bool ok, bytes memory reason) = address(token).call(data);
        if (!ok) {
            if (reason.length == 0) revert TokenCallFailed(address(token));
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }
}
