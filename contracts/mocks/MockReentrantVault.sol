// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title MockReentrantVault
/// @notice Stands in for the EscrowVault behind a market and, once armed, calls back into a target
/// (the market) from inside `commit` or `release`, bubbling up the callee's error. It shows that a
/// market's reentrancy guards hold even if the contract it pays through were hostile.
contract MockReentrantVault {
    address public hookTarget;
    bytes public payload;

    /// @notice Arms the callback for the next `commit` or `release` (one shot).
    function arm(address target_, bytes calldata payload_) external {
        hookTarget = target_;
        payload = payload_;
    }

    function commit(address, uint256) external {
        _callBack();
    }

    function release(address, uint256) external {
        _callBack();
    }

    function _callBack() private {
        bytes memory data = payload;
        if (data.length == 0) return;
        delete payload;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = hookTarget.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }
}
