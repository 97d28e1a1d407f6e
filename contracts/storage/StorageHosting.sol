// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IHostRegistry} from "../interfaces/IHostRegistry.sol";
import {IStorageHosting} from "../interfaces/IStorageHosting.sol";
import {SegmentProof} from "../libraries/SegmentProof.sol";
import {ShardRecords} from "../libraries/ShardRecords.sol";
import {StorageMarketBase} from "./StorageMarketBase.sol";

/// @title StorageHosting
/// @notice Claims, repair of lost shards and graceful exit. Deployed by StorageMarket's constructor and
/// run only by delegatecall from it, on the market's storage (same base, same layout). Its
/// immutables are the market's, passed to both constructors.
contract StorageHosting is IStorageHosting, StorageMarketBase {
    using ShardRecords for uint256;

    /// @dev This code body's own address: calls straight to it are refused (it has no deals).
    address private immutable _self;

    constructor(
        address vault_,
        address registry_,
        Config memory config_
    ) StorageMarketBase(vault_, registry_, config_) {
        _self = address(this);
    }

    modifier onlyDelegated() {
        if (address(this) == _self) revert StorageHostingDirectCall();
        _;
    }

    /// @inheritdoc IStorageHosting
    function shardRecords(
        uint256 dealId,
        uint256[] calldata records
    ) external view onlyDelegated returns (uint256[] memory) {
        Deal storage d = _deals[dealId];
        if (d.status == 0) revert StorageDealNotFound(dealId);
        return _loadRecords(d, dealId, records);
    }

    /// @inheritdoc IStorageHosting
    function claim(uint256 dealId, uint256[] calldata records, uint256 shardMask) external onlyDelegated nonReentrant {
        Deal storage d = _activeDeal(dealId);
        uint256[] memory r = _loadRecords(d, dealId, records);
        uint256 n = r.length / 2;
        address[] memory to = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        uint256 count;
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint256 w0 = r[2 * i];
            if ((shardMask >> i) & 1 == 0 || w0.flags() & ShardRecords.FLAG_LOST != 0) continue;
            (uint256 owed, ) = _tenureEnd(w0, r[2 * i + 1], false);
            if (owed == 0) continue;
            r[2 * i] = w0.markClaimed();
            (to[count], amounts[count]) = (w0.host(), owed);
            total += owed;
            ++count;
            emit HostPaid(dealId, w0.host(), owed);
        }
        if (total == 0) return;
        _spendEscrow(d, dealId, total);
        _storeRecords(dealId, r);
        _releaseBatch(to, amounts, count);
    }

    /// @inheritdoc IStorageHosting
    function repairShard(
        uint256 dealId,
        uint256[] calldata records,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        Offer calldata offer,
        RepairAuth calldata auth
    ) external onlyDelegated nonReentrant {
        Deal storage d = _activeDeal(dealId);
        if (msg.sender != d.tenant) _checkRepairAuth(d.tenant, dealId, auth);
        uint256[] memory r = _loadRecords(d, dealId, records);
        _checkShardRoot(d, dealId, shard, shardRoot, rootPath);
        uint256 w0 = r[2 * shard];
        if (w0.flags() & ShardRecords.FLAG_LOST == 0) revert StorageWrongShardState(shard, false);
        uint256 flags = _bounties[dealId][shard] != 0 ? ShardRecords.FLAG_BOUNTY : 0;
        _handOver(d, dealId, r, shard, shardRoot, flags, offer, true);
    }

    /// @inheritdoc IStorageHosting
    function exitShard(
        uint256 dealId,
        uint256[] calldata records,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        Offer calldata offer
    ) external onlyDelegated nonReentrant {
        Deal storage d = _activeDeal(dealId);
        uint256[] memory r = _loadRecords(d, dealId, records);
        _checkShardRoot(d, dealId, shard, shardRoot, rootPath);
        uint256 w0 = r[2 * shard];
        if (w0.flags() & ShardRecords.FLAG_LOST != 0) revert StorageWrongShardState(shard, true);
        if (msg.sender != w0.host()) revert StorageNotShardHost(shard, w0.host());
        _endLeaverTenure(d, dealId, r, shard);
        // A pending repair bounty passes to the replacement.
        _handOver(d, dealId, r, shard, shardRoot, w0.flags() & ShardRecords.FLAG_BOUNTY, offer, false);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev Ends a leaving host's tenure: a host in good standing is paid in full, withheld part
    /// included; its slashes go to the tenant. Marks the shard lost in `r` until the handover.
    function _endLeaverTenure(Deal storage d, uint256 dealId, uint256[] memory r, uint256 shard) private {
        (uint256 w0, bool completed) = _answerOpenChallenge(dealId, shard, r[2 * shard]);
        (uint256 pay, IHostRegistry.Tenure memory t) = _tenureEnd(w0, r[2 * shard + 1], completed);
        r[2 * shard] = w0.markClaimed().withFlags(ShardRecords.FLAG_LOST);
        uint256 slashed = _endOneTenure(t);
        if (pay != 0) {
            _spendEscrow(d, dealId, pay);
            _release(t.host, pay);
            emit HostPaid(dealId, t.host, pay);
        }
        _release(d.tenant, slashed);
    }

    /// @dev The leaving host answers for a challenge it held the shard through: a proof already in
    /// is paid, anything else is a miss (slashed, withheld part forfeited, a lost tenure), so
    /// leaving never launders one; the successor's tenure starts after it.
    function _answerOpenChallenge(
        uint256 dealId,
        uint256 shard,
        uint256 w0
    ) private view returns (uint256, bool completed) {
        completed = true;
        Challenge memory c = _challenges[dealId];
        if (c.state != _CHALLENGE_IDLE && w0.start() <= c.period) {
            // Safe: passed and missed count periods of the deal, below 2**16.
            if ((c.provenMask >> shard) & 1 != 0) {
                w0 += uint256(1) << ShardRecords.PASSED_SHIFT;
            } else {
                w0 += uint256(1) << ShardRecords.MISSED_SHIFT;
                completed = false;
            }
        }
        return (w0, completed);
    }

    /// @dev Gives shard `shard` to the host of `offer` at the next generation. The successor is
    /// never the host that leaves or lost the shard, nor a host of another live shard of the deal,
    /// and locks at least that host's collateral (so by induction at least the opening floor).
    function _handOver(
        Deal storage d,
        uint256 dealId,
        uint256[] memory r,
        uint256 shard,
        bytes32 shardRoot,
        uint256 flags,
        Offer calldata offer,
        bool repair
    ) private {
        (uint256 w0, uint256 w1) = (r[2 * shard], r[2 * shard + 1]);
        uint256 generation = w0.generation() + 1;
        if (generation > ShardRecords.U16) revert StorageTooManyGenerations(shard); // coverage: unreachable (needs 65,535 handovers of one shard)
        // The new host is paid from the shard's budget, so it can't ask more than the last one.
        uint256 terms = _checkOffer(_termsOf(d, dealId), shard, generation, shardRoot, w1.price(), offer);
        if (terms.collateral() < w1.collateral()) {
            revert StorageCollateralTooLow(shard, w1.collateral(), terms.collateral());
        }
        address host = address(uint160(offer.hostExpiryNonce));
        if (host == w0.host()) revert StorageDuplicateHost(host);
        _requireNewHost(r, host);
        // A host joining while a challenge is open starts with the next period.
        uint256 first = d.settled;
        if (_challenges[dealId].state != _CHALLENGE_IDLE) ++first;
        (r[2 * shard], r[2 * shard + 1]) = (ShardRecords.newTenure(host, generation, flags, first), terms);
        _successors[dealId][shard] = Successor(host, terms);
        _storeRecords(dealId, r);
        emit ShardReassigned(dealId, shard, w0.host(), host, generation, repair);
        _lockOne(offer);
    }

    /// @dev Reverts unless `auth` is `tenant`'s live authorisation for the caller to repair `dealId`.
    function _checkRepairAuth(address tenant, uint256 dealId, RepairAuth calldata auth) private view {
        // view: reads the clock.
        bytes32 structHash = keccak256(abi.encode(_REPAIR_TYPEHASH, dealId, msg.sender, auth.expiry));
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(_hashTypedData(structHash), auth.r, auth.vs);
        if (err != ECDSA.RecoverError.NoError || signer != tenant || block.timestamp > auth.expiry) {
            revert StorageNotRepairer(dealId, msg.sender);
        }
    }

    /// @dev Reverts unless `host` differs from every live host in `r`.
    function _requireNewHost(uint256[] memory r, address host) internal pure {
        for (uint256 i; i < r.length; i += 2) {
            uint256 w0 = r[i];
            if (w0.host() == host && w0.flags() & ShardRecords.FLAG_LOST == 0) revert StorageDuplicateHost(host);
        }
    }

    /// @dev Reverts unless `root` is shard `shard`'s root under the deal's commitment.
    function _checkShardRoot(
        Deal storage d,
        uint256 dealId,
        uint256 shard,
        bytes32 root,
        bytes32[] calldata path
    ) internal view {
        SegmentProof.checkPath(shard, d.shardCount, path.length);
        if (SegmentProof.processPath(root, shard, path) != d.rootsCommitment) {
            revert StorageInvalidShardRoot(dealId, shard);
        }
    }

    /// @dev The terms of an existing deal, for repair and exit offers.
    function _termsOf(Deal storage d, uint256 dealId) internal view returns (Terms memory) {
        return
            Terms({
                dealId: dealId,
                shardSize: d.shardSize,
                segmentSize: uint256(1) << d.segmentLog2,
                periods: d.periods,
                periodLength: d.periodLength,
                segmentsPerPeriod: d.segmentsPerPeriod,
                domainSeparator: _domainSeparator()
            });
    }

    /// @dev Locks a successor's collateral for a deal already open (allowed while the market is
    /// retired in the registry, so open deals never freeze).
    function _lockOne(Offer calldata offer) internal {
        uint256 hostExpiryNonce = offer.hostExpiryNonce;
        _registry.lockSuccessor(address(uint160(hostExpiryNonce)), offer.terms.collateral(), hostExpiryNonce >> 208);
    }
}
