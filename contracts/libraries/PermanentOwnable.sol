// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title PermanentOwnable
/// @notice OpenZeppelin's Ownable2Step without `renounceOwnership`: ownership can move (in two
/// steps) but never lapse. An ownerless vault could never retire a broken market or revoke a
/// rogue pauser, and an ownerless market never change its parameters for new commitments.
abstract contract PermanentOwnable is Ownable2Step {
    /// @notice Ownership cannot be renounced; transfer it instead.
    error OwnershipNotRenounceable();

    /// @notice Always reverts with OwnershipNotRenounceable.
    function renounceOwnership() public pure override {
        revert OwnershipNotRenounceable();
    }
}
