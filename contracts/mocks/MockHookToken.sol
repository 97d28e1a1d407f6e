// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice What a recipient contract of MockHookToken implements (in the manner of ERC-777's
/// `tokensReceived` and ERC-1363's `onTransferReceived`).
interface ITokenReceiverHook {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @title MockHookToken
/// @notice Calls `onTokenReceived` on a recipient that has code, after every transfer. A recipient
/// that implements the hook can refuse tokens (its error is bubbled up); one without it (the
/// vault) is skipped.
contract MockHookToken is ERC20 {
    constructor() ERC20("Hook token (mock)", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0) || to == address(0) || to.code.length == 0) return;
        try ITokenReceiverHook(to).onTokenReceived(from, value) {} catch (bytes memory reason) {
            if (reason.length == 0) return;
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }
}

/// @title MockContractAccount
/// @notice A contract that acts as a user (host, seeder, tenant): it forwards calls from its
/// deployer and, when `refuse` is set, reverts on every token it receives.
contract MockContractAccount is ITokenReceiverHook {
    error ContractAccountRefuses(address from, uint256 amount);
    error ContractAccountNotOperator(address caller);

    address public immutable operator;
    bool public refuse;

    constructor() {
        operator = msg.sender;
    }

    function setRefuse(bool refuse_) external {
        if (msg.sender != operator) revert ContractAccountNotOperator(msg.sender);
        refuse = refuse_;
    }

    /// @notice Calls `target` with `data` as this account; bubbles up a revert.
    function exec(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != operator) revert ContractAccountNotOperator(msg.sender);
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @inheritdoc ITokenReceiverHook
    function onTokenReceived(address from, uint256 amount) external view {
        if (refuse) revert ContractAccountRefuses(from, amount);
    }
}
