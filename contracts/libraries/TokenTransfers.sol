// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title TokenTransfers
/// @notice The one pair of functions that moves tokens in bttkit. Neither trusts the token's
/// return value: TRON's USDT returns false from a successful `transfer` (TRON.md), so OpenZeppelin's
/// SafeERC20 would revert on it. Both measure balances instead.
/// @dev Written in assembly because the vault's deposit and withdraw figures are dominated by
/// these calls; the scratch-space layout follows Solady's SafeTransferLib.
library TokenTransfers {
    /// @notice The token call failed without a reason of its own (or `token` has no code).
    error TokenCallFailed(address token);
    /// @notice A push to `to` moved `received` instead of `expected`.
    error TokenPushShortfall(address token, address to, uint256 expected, uint256 received);
    /// @notice A push of `expected` took `spent` out of this contract: the token charges its
    /// sender (a fee on top), which would leave this contract below its books.
    error TokenPushOvercharged(address token, uint256 expected, uint256 spent);
    /// @notice A pull of `expected` took `spent` from `from`: the token charges its sender, so
    /// every later push from this contract would be refused (TokenPushOvercharged).
    error TokenPullOvercharged(address token, address from, uint256 expected, uint256 spent);

    /// @notice Pulls `amount` from `from` with transferFrom and returns what actually arrived;
    /// reverts unless `from`'s balance fell by exactly `amount`. `from` must not be this contract.
    function pull(IERC20 token, address from, uint256 amount) internal returns (uint256 received) {
        uint256 before = _balanceOf(token, address(this));
        uint256 fromBefore = _balanceOf(token, from);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(0x60, amount)
            mstore(0x40, address())
            mstore(0x2c, shl(96, from))
            mstore(0x0c, 0x23b872dd000000000000000000000000) // transferFrom(address,address,uint256)
            if iszero(call(gas(), token, 0, 0x1c, 0x64, 0x00, 0x00)) {
                if iszero(returndatasize()) {
                    mstore(0x00, 0xfecb69b4) // TokenCallFailed(address)
                    mstore(0x20, token)
                    revert(0x1c, 0x24)
                }
                returndatacopy(m, 0, returndatasize())
                revert(m, returndatasize())
            }
            mstore(0x60, 0) // restore the zero slot
            mstore(0x40, m) // restore the free memory pointer
        }
        uint256 afterwards = _balanceOf(token, address(this));
        // A token whose transferFrom lowers our balance is treated as delivering nothing.
        received = afterwards > before ? afterwards - before : 0;
        uint256 fromAfter = _balanceOf(token, from);
        uint256 spent = fromBefore > fromAfter ? fromBefore - fromAfter : 0;
        if (spent != amount) revert TokenPullOvercharged(address(token), from, amount, spent);
    }

    /// @notice Sends `amount` to `to` and checks that `to`'s balance rose, and this contract's
    /// fell, by exactly `amount`. `to` must not be this contract.
    function push(IERC20 token, address to, uint256 amount) internal {
        uint256 before = _balanceOf(token, to);
        uint256 ownBefore = _balanceOf(token, address(this));
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(0x14, to)
            mstore(0x34, amount)
            mstore(0x00, 0xa9059cbb000000000000000000000000) // transfer(address,uint256)
            if iszero(call(gas(), token, 0, 0x10, 0x44, 0x00, 0x00)) {
                if iszero(returndatasize()) {
                    mstore(0x00, 0xfecb69b4) // TokenCallFailed(address)
                    mstore(0x20, token)
                    revert(0x1c, 0x24)
                }
                returndatacopy(m, 0, returndatasize())
                revert(m, returndatasize())
            }
            mstore(0x34, 0) // restore the part of the free memory pointer we overwrote
            mstore(0x40, m)
        }
        uint256 afterwards = _balanceOf(token, to);
        uint256 received = afterwards > before ? afterwards - before : 0;
        if (received != amount) revert TokenPushShortfall(address(token), to, amount, received);
        uint256 ownAfter = _balanceOf(token, address(this));
        uint256 spent = ownBefore > ownAfter ? ownBefore - ownAfter : 0;
        if (spent != amount) revert TokenPushOvercharged(address(token), amount, spent);
    }

    /// @dev `token.balanceOf(account)`; a call that fails or returns fewer than 32 bytes (no code
    /// at `token`, say) reverts with TokenCallFailed.
    function _balanceOf(IERC20 token, address account) private view returns (uint256 result) {
        assembly ("memory-safe") {
            mstore(0x14, account)
            mstore(0x00, 0x70a08231000000000000000000000000) // balanceOf(address)
            // Yul evaluates right to left: the staticcall runs before returndatasize is read.
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x10, 0x24, 0x20, 0x20))) {
                mstore(0x00, 0xfecb69b4) // TokenCallFailed(address)
                mstore(0x20, token)
                revert(0x1c, 0x24)
            }
            result := mload(0x20)
        }
    }
}
