// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IStorageMarket} from "../interfaces/IStorageMarket.sol";
import {IHostRegistry} from "../interfaces/IHostRegistry.sol";
import {ShardRecords} from "../libraries/ShardRecords.sol";
import {StorageMarketBase} from "./StorageMarketBase.sol";

/// @title StorageSettlement
/// @notice Settling challenges, claims, lost shards and the end of deals.
/// @dev Settling a period writes a shard's stored state only when it changes beyond `passed`
/// (a miss, a streak cleared, a flag): a period in which every host proves writes no shard
/// state at all. Value leaves the pool only when a host claims, a tenure
/// ends or the deal ends; slashes are realised in the registry when a tenure ends.
abstract contract StorageSettlement is IStorageMarket, StorageMarketBase {
    using ShardRecords for uint256;

    /// @dev What the end of a deal pays, gathered shard by shard.
    struct Payouts {
        IHostRegistry.Tenure[] tenures;
        address[] to;
        uint256[] amounts;
        uint256 count;
        uint256 hostPay;
        uint256 refund;
    }

    uint256 private constant _ONE_PASS = uint256(1) << ShardRecords.PASSED_SHIFT;
    uint256 private constant _ONE_MISS =
        (uint256(1) << ShardRecords.MISSED_SHIFT) | (uint256(1) << ShardRecords.STREAK_SHIFT);
    uint256 private constant _STREAK_BITS = ShardRecords.U8 << ShardRecords.STREAK_SHIFT;

    // ----------------------------------------------------------------------------------------
    // External
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IStorageMarket
    function settle(uint256 dealId, uint256[] calldata records) external nonReentrant {
        Deal storage d = _activeDeal(dealId);
        Challenge memory c = _challenges[dealId];
        if (c.state != _CHALLENGE_OPEN) revert StorageWrongChallengeState(dealId, c.state);
        if (block.timestamp <= c.deadline) revert StorageChallengeNotExpired(c.deadline);
        uint256[] memory r = _loadRecords(d, dealId, records);
        (uint256 live, uint256 missedMask, uint256 lostMask) = _applyChallenge(dealId, d, r, c);
        // Each challenge is settled once: the period advances and the challenge goes idle.
        d.settled = c.period + 1;
        _challenges[dealId].state = _CHALLENGE_IDLE;
        emit PeriodSettled(dealId, c.period, c.provenMask, uint64(missedMask), uint64(lostMask));
        if (live < d.minShards) _finish(dealId, d, r, true);
        else _storeRecords(dealId, r);
    }

    /// @inheritdoc IStorageMarket
    function finalizeDeal(uint256 dealId, uint256[] calldata records) external nonReentrant {
        Deal storage d = _activeDeal(dealId);
        if (d.settled < d.periods) revert StorageDealNotOver(dealId, d.settled, d.periods);
        _finish(dealId, d, _loadRecords(d, dealId, records), false);
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev Applies one challenge's outcome to every live shard record in `r`.
    function _applyChallenge(
        uint256 dealId,
        Deal storage d,
        uint256[] memory r,
        Challenge memory c
    ) private returns (uint256 live, uint256 missedMask, uint256 lostMask) {
        uint256 n = r.length / 2;
        uint256 proven = c.provenMask;
        for (uint256 i; i < n; ++i) {
            uint256 w0 = r[2 * i];
            uint256 f = w0.flags();
            if (f & ShardRecords.FLAG_LOST != 0) continue;
            uint256 bit = uint256(1) << i;
            if (w0.start() > c.period) {
                // Joined while this challenge was open: its tenure starts with the next period,
                // so this one neither pays it nor charges it (a proof here was its predecessor's).
                ++live;
            } else if (proven & bit != 0) {
                // Safe: passed counts periods, below 2**16; the streak is cleared first.
                w0 = (w0 & ~_STREAK_BITS) + _ONE_PASS;
                if (f != 0) {
                    // Only BOUNTY is left: the first passed proof pays it.
                    _payBounty(dealId, i, w0.host());
                    w0 = w0.withFlags(0);
                }
                ++live;
            } else {
                // Safe: missed counts periods (< 2**16); the streak stops at missesToLose (< 2**8).
                w0 += _ONE_MISS;
                missedMask |= bit;
                if (w0.streak() >= _missesToLose) {
                    w0 = _loseShard(dealId, d, i, w0, r[2 * i + 1]);
                    lostMask |= bit;
                } else {
                    ++live;
                }
            }
            r[2 * i] = w0;
        }
    }

    /// @dev Ends the tenure of a host that missed too often: regular pay up to now, withheld part
    /// forfeited (it stays in escrow for the tenant), slash split between tenant and repair bounty.
    function _loseShard(
        uint256 dealId,
        Deal storage d,
        uint256 shard,
        uint256 w0,
        uint256 w1
    ) private returns (uint256) {
        (uint256 pay, IHostRegistry.Tenure memory t) = _tenureEnd(w0, w1, false);
        uint256 slashed = _endOneTenure(t);
        if (pay != 0) {
            _spendEscrow(d, dealId, pay);
            _vault.release(t.host, pay);
            emit HostPaid(dealId, t.host, pay);
        }
        uint256 toTenant = (slashed * _tenantSlashBps) / _BPS;
        _release(d.tenant, toTenant);
        // Safe: toTenant <= slashed.
        unchecked {
            _bounties[dealId][shard] += slashed - toTenant;
        }
        emit ShardLost(dealId, shard, t.host, slashed);
        return w0.markClaimed().withFlags(ShardRecords.FLAG_LOST);
    }

    function _payBounty(uint256 dealId, uint256 shard, address host) private {
        uint256 bounty = _bounties[dealId][shard];
        if (bounty == 0) return; // coverage: unreachable (the bounty flag is set only with a non-zero bounty and cleared with it)
        delete _bounties[dealId][shard];
        _vault.release(host, bounty);
        emit RepairBountyPaid(dealId, shard, host, bounty);
    }

    /// @dev Ends the deal: every live host is paid in full and unlocked, unpaid bounties, slashes
    /// and the escrow left go back to the tenant. Nothing of the deal stays in the pool.
    function _finish(uint256 dealId, Deal storage d, uint256[] memory r, bool lost) private {
        uint256 n = r.length / 2;
        Payouts memory p = Payouts({
            tenures: new IHostRegistry.Tenure[](n),
            to: new address[](n + 1),
            amounts: new uint256[](n + 1),
            count: 0,
            hostPay: 0,
            refund: 0
        });
        for (uint256 i; i < n; ++i) {
            _finishShard(dealId, i, r[2 * i], r[2 * i + 1], p);
        }
        IHostRegistry.Tenure[] memory tenures = p.tenures;
        uint256 count = p.count;
        assembly ("memory-safe") {
            // Trim to the tenures filled in; count <= n, so this only shortens.
            mstore(tenures, count)
        }
        uint256 slashed = count == 0 ? 0 : _registry.endTenures(tenures);
        _spendEscrow(d, dealId, p.hostPay);
        uint256 refund = p.refund + d.escrow + slashed;
        d.escrow = 0;
        d.status = lost ? _STATUS_LOST : _STATUS_COMPLETED;
        (p.to[count], p.amounts[count]) = (d.tenant, refund);
        // The records are not stored: no call reads them once the deal has ended.
        emit DealEnded(dealId, lost, refund);
        _releaseBatch(p.to, p.amounts, count + 1);
    }

    /// @dev One shard at the end of the deal: collects its bounty for the tenant and, if it lives,
    /// its host's full pay and tenure.
    function _finishShard(uint256 dealId, uint256 shard, uint256 w0, uint256 w1, Payouts memory p) private {
        uint256 f = w0.flags();
        if (f & (ShardRecords.FLAG_LOST | ShardRecords.FLAG_BOUNTY) != 0) {
            p.refund += _bounties[dealId][shard];
            delete _bounties[dealId][shard];
        }
        if (f & ShardRecords.FLAG_LOST != 0) return;
        (uint256 pay, IHostRegistry.Tenure memory t) = _tenureEnd(w0, w1, true);
        uint256 k = p.count++;
        (p.tenures[k], p.to[k], p.amounts[k]) = (t, t.host, pay);
        p.hostPay += pay;
        if (pay != 0) emit HostPaid(dealId, t.host, pay);
    }
}
