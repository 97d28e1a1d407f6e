// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IStorageMarket} from "../interfaces/IStorageMarket.sol";
import {SegmentProof} from "../libraries/SegmentProof.sol";
import {ShardRecords} from "../libraries/ShardRecords.sol";
import {StorageChallenges} from "./StorageChallenges.sol";
import {StorageHosting} from "./StorageHosting.sol";
import {StorageMarketBase} from "./StorageMarketBase.sol";
import {StorageSettlement} from "./StorageSettlement.sol";

/// @title StorageMarket
/// @notice bttkit's storage market: one-transaction deals over signed host offers, random
/// segment challenges, settlement, repair and graceful exit. See IStorageMarket and
/// IStorageHosting (both answered at this address).
/// @dev No owner: the rules are fixed at deployment. New deals stop while the vault is paused
/// (opening commits through the vault); everything else keeps working so value never sticks.
/// The market must be an authorised vault market and a wired registry market.
contract StorageMarket is StorageChallenges, StorageSettlement {
    using ShardRecords for uint256;
    using ShardRecords for uint256[];

    /// @dev The hosting part (claims, repair, graceful exit), deployed with the market. It is a
    /// separate code body only to keep each under the 24,576-byte limit (EIP-170).
    address private immutable _hosting;

    /// @param vault_ The EscrowVault.
    /// @param registry_ The HostRegistry.
    /// @param config_ The market's fixed rules.
    constructor(
        address vault_,
        address registry_,
        Config memory config_
    ) StorageMarketBase(vault_, registry_, config_) {
        _hosting = address(new StorageHosting(vault_, registry_, config_));
    }

    /// @notice The code body this market delegates IStorageHosting's functions to.
    function hosting() external view returns (address) {
        return _hosting;
    }

    // ----------------------------------------------------------------------------------------
    // Deals
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IStorageMarket
    function openDeal(
        DealParams calldata params,
        bytes32[] calldata roots,
        Offer[] calldata offers
    ) external nonReentrant returns (uint256 dealId) {
        uint256 n = roots.length;
        if (n == 0) revert StorageNoShards();
        if (n > _MAX_SHARDS) revert StorageTooManyShards(n, _MAX_SHARDS);
        if (offers.length != n) revert StorageLengthMismatch(n, offers.length);
        _checkParams(params, n);
        dealId = dealIdOf(msg.sender, params.salt);
        Deal storage d = _deals[dealId];
        if (d.status != 0) revert StorageDealExists(dealId);
        (uint256[] memory r, uint256[] memory nonces, uint256 pricePerPeriod) = _acceptOffers(
            _termsOf(params, dealId),
            roots,
            offers
        );
        uint256 escrow = pricePerPeriod * params.periods;
        if (escrow > type(uint128).max) revert StorageAmountTooLarge(escrow);
        _writeDeal(d, dealId, params, roots, escrow);
        // The opening records: hashed once, passed back by every call, never rewritten. The
        // shards' state starts all zero, so nothing per shard is stored here.
        d.shardsHash = r.hash();
        emit ShardsUpdated(dealId, r);
        _vault.commit(msg.sender, escrow);
        _lockAll(r, nonces);
    }

    /// @notice Forwards IStorageHosting's functions (claim, repairShard, exitShard) to the hosting
    /// part, which runs on this contract's storage.
    /// @dev The split keeps each code body under the 24 KB limit; the fallback is a plain proxy.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        address target = _hosting;
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IStorageMarket
    function vault() external view returns (address) {
        return address(_vault);
    }

    /// @inheritdoc IStorageMarket
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IStorageMarket
    function config() external view returns (Config memory) {
        return
            Config({
                responseWindow: _responseWindow,
                seedDelay: _seedDelay,
                missesToLose: _missesToLose,
                withheldBps: _withheldBps,
                slashBps: _slashBps,
                tenantSlashBps: _tenantSlashBps
            });
    }

    /// @inheritdoc IStorageMarket
    function dealIdOf(address tenant, bytes32 salt) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(tenant, salt)));
    }

    /// @inheritdoc IStorageMarket
    function deal(uint256 dealId) external view returns (DealView memory v) {
        Deal storage d = _deals[dealId];
        v = DealView({
            tenant: d.tenant,
            shardCount: d.shardCount,
            minShards: d.minShards,
            status: d.status,
            periods: d.periods,
            settledPeriods: d.settled,
            periodLength: d.periodLength,
            start: d.start,
            shardSize: d.shardSize,
            segmentSize: d.status == 0 ? 0 : uint32(1 << d.segmentLog2),
            segmentCount: d.status == 0 ? 0 : uint64(_segmentCountOf(d)),
            segmentsPerPeriod: d.segmentsPerPeriod,
            escrow: d.escrow,
            rootsCommitment: d.rootsCommitment,
            shardsHash: d.shardsHash
        });
    }

    /// @inheritdoc IStorageMarket
    function challenge(uint256 dealId) external view returns (ChallengeView memory) {
        Challenge memory c = _challenges[dealId];
        return
            ChallengeView({
                state: c.state,
                seedBlock: c.seedBlock,
                deadline: c.deadline,
                provenMask: c.provenMask,
                seed: c.state == _CHALLENGE_OPEN ? _seeds[dealId] : bytes32(0)
            });
    }

    /// @inheritdoc IStorageMarket
    function repairBounty(uint256 dealId, uint256 shard) external view returns (uint256) {
        return _bounties[dealId][shard];
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    /// @dev Validates the deal parameters; returns log2 of the segment size and the segment count.
    function _checkParams(
        DealParams calldata p,
        uint256 n
    ) private view returns (uint256 segmentLog2, uint256 segmentCount) {
        if (p.minShards == 0 || p.minShards > n) revert StorageInvalidMinShards(p.minShards, n);
        uint256 segmentSize = p.segmentSize;
        if (segmentSize < 32 || segmentSize > 65_536 || segmentSize & (segmentSize - 1) != 0) {
            revert StorageInvalidSegmentSize(segmentSize);
        }
        segmentLog2 = SegmentProof.depthOf(segmentSize);
        segmentCount = (uint256(p.shardSize) + segmentSize - 1) >> segmentLog2;
        if (segmentCount == 0 || segmentCount > 1 << 40) revert StorageInvalidShardSize(p.shardSize);
        if (p.periods == 0) revert StorageInvalidPeriods(p.periods);
        if (p.segmentsPerPeriod == 0 || p.segmentsPerPeriod > _MAX_SEGMENTS_PER_PERIOD) {
            revert StorageInvalidSegmentsPerPeriod(p.segmentsPerPeriod, _MAX_SEGMENTS_PER_PERIOD);
        }
        if (p.periodLength < _responseWindow) revert StorageInvalidPeriodLength(p.periodLength, _responseWindow);
    }

    /// @dev Writes the deal header and its challenge slot.
    function _writeDeal(
        Deal storage d,
        uint256 dealId,
        DealParams calldata params,
        bytes32[] calldata roots,
        uint256 escrow
    ) private {
        uint256 n = roots.length;
        // Checked in openDeal before any offer: a power of two, so depthOf is its log2.
        uint256 segmentLog2 = SegmentProof.depthOf(params.segmentSize);
        bytes32 rootsCommitment = _rootsCommitment(roots);
        d.tenant = msg.sender;
        d.periods = params.periods;
        d.minShards = params.minShards;
        d.status = _STATUS_ACTIVE;
        d.periodLength = params.periodLength;
        d.shardCount = uint8(n);
        d.escrow = uint128(escrow);
        d.start = uint40(block.timestamp);
        d.shardSize = params.shardSize;
        d.segmentLog2 = uint8(segmentLog2);
        d.segmentsPerPeriod = params.segmentsPerPeriod;
        d.rootsCommitment = rootsCommitment;
        emit DealOpened(
            dealId,
            msg.sender,
            rootsCommitment,
            params.shardSize,
            params.segmentSize,
            params.periods,
            params.periodLength,
            params.minShards,
            params.segmentsPerPeriod,
            escrow
        );
    }

    function _termsOf(DealParams calldata params, uint256 dealId) private view returns (Terms memory) {
        return
            Terms({
                dealId: dealId,
                shardSize: params.shardSize,
                segmentSize: params.segmentSize,
                periods: params.periods,
                periodLength: params.periodLength,
                segmentsPerPeriod: params.segmentsPerPeriod,
                domainSeparator: _domainSeparator()
            });
    }

    /// @dev Checks every opening offer (generation 0) and builds the first shard records.
    function _acceptOffers(
        Terms memory t,
        bytes32[] calldata roots,
        Offer[] calldata offers
    ) private view returns (uint256[] memory r, uint256[] memory nonces, uint256 pricePerPeriod) {
        uint256 n = roots.length;
        r = new uint256[](2 * n);
        nonces = new uint256[](n);
        uint256 seen;
        for (uint256 i; i < n; ++i) {
            Offer calldata offer = offers[i];
            uint256 w1 = _checkOffer(t, i, 0, roots[i], type(uint128).max, offer);
            uint256 hostExpiryNonce = offer.hostExpiryNonce;
            address host = address(uint160(hostExpiryNonce));
            // Duplicate hosts: a 256-bit filter on the address's low byte; only a filter hit
            // scans the hosts before it, so distinct hosts cost O(n), not O(n^2).
            uint256 bit = uint256(1) << (uint160(host) & 0xff);
            if (seen & bit != 0) _requireNotAmong(r, i, host);
            seen |= bit;
            uint256 w0 = ShardRecords.newTenure(host, 0, 0, 0);
            assembly ("memory-safe") {
                // In bounds: r has 2n words, nonces n, and i < n.
                let at := add(add(r, 0x20), shl(6, i))
                mstore(at, w0)
                mstore(add(at, 0x20), w1)
                mstore(add(add(nonces, 0x20), shl(5, i)), shr(208, hostExpiryNonce)) // 24 bits, checked
            }
            // Safe: at most 64 prices below 2**128 each.
            unchecked {
                pricePerPeriod += w1.price();
            }
        }
    }

    /// @dev Reverts if `host` holds one of the first `count` shards in `r`.
    function _requireNotAmong(uint256[] memory r, uint256 count, address host) private pure {
        for (uint256 j; j < count; ++j) {
            if (r[2 * j].host() == host) revert StorageDuplicateHost(host);
        }
    }

    /// @dev Locks the collateral of every host in `r` in one registry call.
    function _lockAll(uint256[] memory r, uint256[] memory nonces) private {
        uint256 n = nonces.length;
        address[] memory hosts = new address[](n);
        uint256[] memory collaterals = new uint256[](n);
        assembly ("memory-safe") {
            // In bounds: hosts and collaterals have n words, r has 2n.
            for {
                let i := 0
            } lt(i, n) {
                i := add(i, 1)
            } {
                let at := add(add(r, 0x20), shl(6, i))
                mstore(add(add(hosts, 0x20), shl(5, i)), and(mload(at), 0xffffffffffffffffffffffffffffffffffffffff))
                mstore(add(add(collaterals, 0x20), shl(5, i)), shr(128, mload(add(at, 0x20))))
            }
        }
        _registry.lockCollateral(hosts, collaterals, nonces);
    }
}
