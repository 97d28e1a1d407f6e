// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockReentrantToken
/// @notice On every transfer it calls `hookTarget` with `payload` (when armed), as a malicious or
/// callback token would, and reverts with the callee's error if that call fails.
contract MockReentrantToken is ERC20 {
    address public hookTarget;
    bytes public payload;

    constructor() ERC20("Reentrant token (mock)", "REE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook; an empty payload disarms it.
    function arm(address target_, bytes calldata payload_) external {
        hookTarget = target_;
        payload = payload_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        bytes memory data = payload;
        if (data.length == 0 || from == address(0)) return;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = hookTarget.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }
}
