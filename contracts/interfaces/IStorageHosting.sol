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

    /// @notice The deal's current shard records, given its opening `records` (ShardRecords
    /// layout, `passed` included). After the deal has ended they stay as they were before its end.
    function shardRecords(uint256 dealId, uint256[] calldata records) external view returns (uint256[] memory);

    /// @notice Pays the hosts of the shards in `shardMask` what they have earned so far, less the
    /// withheld part.
    function claim(uint256 dealId, uint256[] calldata records, uint256 shardMask) external;

    /// @notice Gives lost shard `shard` to a new host under its signed offer (generation + 1).
    /// The new host earns the shard's repair bounty with its first passed proof. Only the tenant
    /// chooses, or a caller holding the tenant's `auth` for this deal. The new host is neither the
    /// host that lost the shard nor a host of another live shard of the deal, asks no more than
    /// the lost host and locks at least its collateral.
    function repairShard(
        uint256 dealId,
        uint256[] calldata records,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        IStorageMarket.Offer calldata offer,
        IStorageMarket.RepairAuth calldata auth
    ) external;

    /// @notice The host of `shard` hands it to a replacement that signed `offer` (not itself, not
    /// a host of another live shard, at least its collateral); the leaving host is paid in full,
    /// withheld part included, and its collateral unlocked. If a challenge is open or awaiting its
    /// seed and the shard is not proven in it, the leaving host is charged that miss instead:
    /// slashed for it, withheld part forfeited, the tenure recorded as lost.
    function exitShard(
        uint256 dealId,
        uint256[] calldata records,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        IStorageMarket.Offer calldata offer
    ) external;
}
