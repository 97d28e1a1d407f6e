// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IStorageMarket} from "./IStorageMarket.sol";

/// @title IStorageHosting
/// @notice The storage market's per-host functions: claims, repair of lost shards, graceful exit.
/// The StorageMarket contract answers them at its own address (it delegates them to a second
/// code body to stay under the contract size limit); clients use this ABI together with
/// IStorageMarket's. Errors and events are IStorageMarket's.
interface IStorageHosting {
    /// @notice The hosting code body was called directly instead of through the market.
    error StorageHostingDirectCall();

    /// @notice Pays the hosts of the shards in `shardMask` what they have earned so far, less the
    /// withheld part.
    function claim(uint256 dealId, uint256[] calldata records, uint256 shardMask) external;

    /// @notice Gives lost shard `shard` to a new host under its signed offer (generation + 1).
    /// The new host earns the shard's repair bounty with its first passed proof. Anyone.
    function repairShard(
        uint256 dealId,
        uint256[] calldata records,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        IStorageMarket.Offer calldata offer
    ) external;

    /// @notice The host of `shard` hands it to a replacement that signed `offer`; the leaving
    /// host is paid in full, withheld part included, and its collateral unlocked.
    function exitShard(
        uint256 dealId,
        uint256[] calldata records,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        IStorageMarket.Offer calldata offer
    ) external;
}
