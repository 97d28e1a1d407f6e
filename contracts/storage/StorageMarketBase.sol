// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEscrowVault} from "../interfaces/IEscrowVault.sol";
import {IHostRegistry} from "../interfaces/IHostRegistry.sol";
import {IStorageMarketTypes} from "../interfaces/IStorageMarket.sol";
import {ShardRecords} from "../libraries/ShardRecords.sol";
import {TIP712} from "../libraries/TIP712.sol";

/// @title StorageMarketBase
/// @notice Storage, fixed rules and the helpers the market's parts share: offers, shard records,
/// tenure ends and payouts. See IStorageMarket for the layout rationale.
abstract contract StorageMarketBase is IStorageMarketTypes, TIP712, ReentrancyGuardTransient {
    using ShardRecords for uint256;
    using ShardRecords for uint256[];

    /// @dev Deal header, two slots.
    struct Deal {
        address tenant;
        uint16 periods;
        uint16 settled;
        uint8 minShards;
        uint8 status;
        uint32 periodLength;
        uint8 shardCount;
        uint128 escrow;
        uint40 start;
        uint64 shardSize;
        uint8 segmentLog2;
        uint8 segmentsPerPeriod;
        bytes32 rootsCommitment;
        bytes32 shardsHash;
    }

    /// @dev Everything a proof reads, in one slot. Written by the deal's first challenge (the
    /// sizes are copied from the deal header) and reused for every period, so later challenges
    /// and proofs write a non-zero slot.
    struct Challenge {
        uint56 seedBlock;
        uint8 segmentsPerPeriod;
        uint40 deadline;
        uint64 provenMask;
        uint48 segmentCount;
        uint8 segmentLog2;
        uint8 shardCount;
        uint8 state;
        uint16 period;
    }

    /// @dev The deal-wide fields an offer binds, and the TIP-712 domain separator (computed once
    /// per call, not once per offer).
    struct Terms {
        uint256 dealId;
        uint256 shardSize;
        uint256 segmentSize;
        uint256 periods;
        uint256 periodLength;
        uint256 segmentsPerPeriod;
        bytes32 domainSeparator;
    }

    uint8 internal constant _STATUS_ACTIVE = 1;
    uint8 internal constant _STATUS_COMPLETED = 2;
    uint8 internal constant _STATUS_LOST = 3;
    uint8 internal constant _CHALLENGE_IDLE = 0;
    uint8 internal constant _CHALLENGE_AWAITING_SEED = 1;
    uint8 internal constant _CHALLENGE_OPEN = 2;
    uint256 internal constant _MAX_SHARDS = 64;
    /// @dev Most segments a deal may ask per shard per period (calldata and hashing grow with it).
    uint256 internal constant _MAX_SEGMENTS_PER_PERIOD = 16;
    uint256 internal constant _BPS = 10_000;

    /// @dev TIP-712 type of a host offer; sdk/src/storage/offer.ts spells the same fields.
    bytes32 internal constant _OFFER_TYPEHASH = keccak256(
        "StorageOffer(uint256 dealId,uint32 shardIndex,uint32 generation,address host,bytes32 shardRoot,"
        "uint64 shardSize,uint32 segmentSize,uint16 periods,uint32 periodLength,uint8 segmentsPerPeriod,"
        "uint128 price,uint128 collateral,uint48 expiry,uint24 nonce)"
    );

    /// @dev TIP-712 type of a tenant's authorisation for `repairer` to choose repair hosts of
    /// deal `dealId` until `expiry`; sdk/src/storage/offer.ts spells the same fields.
    bytes32 internal constant _REPAIR_TYPEHASH = keccak256(
        "RepairAuthorization(uint256 dealId,address repairer,uint48 expiry)"
    );

    IEscrowVault internal immutable _vault;
    IHostRegistry internal immutable _registry;
    uint32 internal immutable _responseWindow;
    uint16 internal immutable _seedDelay;
    uint8 internal immutable _missesToLose;
    uint16 internal immutable _withheldBps;
    uint16 internal immutable _slashBps;
    uint16 internal immutable _tenantSlashBps;

    mapping(uint256 dealId => Deal) internal _deals;
    mapping(uint256 dealId => Challenge) internal _challenges;
    mapping(uint256 dealId => bytes32) internal _seeds;
    mapping(uint256 dealId => mapping(uint256 shard => uint256)) internal _bounties;
    /// @dev The shards' stored state (ShardRecords), three shards per slot; all zero at opening.
    mapping(uint256 dealId => mapping(uint256 slot => uint256)) internal _states;
    /// @dev The host and terms (record word 1) of a shard's current tenure, once handed over.
    mapping(uint256 dealId => mapping(uint256 shard => Successor)) internal _successors;

    struct Successor {
        address host;
        uint256 terms;
    }

    constructor(address vault_, address registry_, Config memory config_) TIP712("bttkit StorageMarket", "1") {
        if (
            vault_ == address(0) ||
            registry_ == address(0) ||
            config_.responseWindow == 0 ||
            config_.seedDelay == 0 ||
            config_.seedDelay > 128 ||
            config_.missesToLose == 0 ||
            config_.withheldBps > _BPS ||
            config_.slashBps > _BPS ||
            config_.tenantSlashBps > _BPS
        ) revert StorageInvalidConfig();
        _vault = IEscrowVault(vault_);
        _registry = IHostRegistry(registry_);
        _responseWindow = config_.responseWindow;
        _seedDelay = config_.seedDelay;
        _missesToLose = config_.missesToLose;
        _withheldBps = config_.withheldBps;
        _slashBps = config_.slashBps;
        _tenantSlashBps = config_.tenantSlashBps;
    }

    // ----------------------------------------------------------------------------------------
    // Deals and records
    // ----------------------------------------------------------------------------------------

    function _activeDeal(uint256 dealId) internal view returns (Deal storage d) {
        d = _deals[dealId];
        uint8 status = d.status;
        if (status == 0) revert StorageDealNotFound(dealId);
        if (status != _STATUS_ACTIVE) revert StorageDealNotActive(dealId, status);
    }

    /// @dev Segments per shard: the shard size rounded up to whole segments.
    function _segmentCountOf(Deal storage d) internal view returns (uint256) {
        uint256 log2 = d.segmentLog2;
        return (uint256(d.shardSize) + (uint256(1) << log2) - 1) >> log2;
    }

    /// @dev The current records: the opening records (calldata, checked against the deal's
    /// commitment; they never change, so no other caller can make them stale) with each shard's
    /// stored state, successor and derived `passed` laid over them.
    function _loadRecords(
        Deal storage d,
        uint256 dealId,
        uint256[] calldata records
    ) internal view returns (uint256[] memory r) {
        r = records;
        uint256 n = r.length / 2;
        if (r.length != 2 * uint256(d.shardCount) || r.hash() != d.shardsHash) revert StorageStaleRecords(dealId);
        uint256 settled = d.settled;
        uint256 word;
        for (uint256 i; i < n; ++i) {
            uint256 k = i % ShardRecords.STATES_PER_SLOT;
            if (k == 0) word = _states[dealId][i / ShardRecords.STATES_PER_SLOT];
            uint256 state = (word >> (k * ShardRecords.STATE_BITS)) & ShardRecords.STATE_MASK;
            uint256 w0 = r[2 * i] | (state << ShardRecords.STATE_SHIFT);
            if (w0.generation() != 0) {
                Successor storage s = _successors[dealId][i];
                w0 = ((w0 >> 160) << 160) | uint160(s.host);
                r[2 * i + 1] = s.terms;
            }
            if (w0.flags() & ShardRecords.FLAG_LOST == 0) {
                // Every settled period of the tenure was a pass or a miss.
                uint256 first = w0.start();
                uint256 passed = (settled > first ? settled - first : 0) - w0.missed();
                w0 |= passed << ShardRecords.PASSED_SHIFT;
            }
            r[2 * i] = w0;
        }
    }

    /// @dev Stores the state of every shard in `r` (only the slots that changed).
    function _storeRecords(uint256 dealId, uint256[] memory r) internal {
        uint256 n = r.length / 2;
        for (uint256 j; j * ShardRecords.STATES_PER_SLOT < n; ++j) {
            uint256 word;
            for (uint256 k; k < ShardRecords.STATES_PER_SLOT; ++k) {
                uint256 i = j * ShardRecords.STATES_PER_SLOT + k;
                if (i == n) break;
                word |= (r[2 * i] >> ShardRecords.STATE_SHIFT) << (k * ShardRecords.STATE_BITS);
            }
            if (_states[dealId][j] != word) _states[dealId][j] = word;
        }
    }

    /// @dev The stored state of one shard (ShardRecords word 0 without host and `passed`).
    function _stateOf(uint256 dealId, uint256 shard) internal view returns (uint256) {
        uint256 word = _states[dealId][shard / ShardRecords.STATES_PER_SLOT];
        uint256 state =
            (word >> ((shard % ShardRecords.STATES_PER_SLOT) * ShardRecords.STATE_BITS)) & ShardRecords.STATE_MASK;
        return state << ShardRecords.STATE_SHIFT;
    }

    // ----------------------------------------------------------------------------------------
    // Offers
    // ----------------------------------------------------------------------------------------

    /// @dev The TIP-712 digest of an offer (`hostExpiryNonce` and `terms` as packed in `Offer`)
    /// for shard `shard` at `generation`, hashed in scratch memory.
    function _offerDigest(
        Terms memory t,
        uint256 shard,
        uint256 generation,
        bytes32 root,
        uint256 hostExpiryNonce,
        uint256 terms
    ) internal pure returns (bytes32 digest) {
        bytes32 typeHash = _OFFER_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            mstore(add(ptr, 0x20), mload(t)) // dealId
            mstore(add(ptr, 0x40), shard)
            mstore(add(ptr, 0x60), generation)
            mstore(add(ptr, 0x80), and(hostExpiryNonce, 0xffffffffffffffffffffffffffffffffffffffff)) // host
            mstore(add(ptr, 0xa0), root)
            mstore(add(ptr, 0xc0), mload(add(t, 0x20))) // shardSize
            mstore(add(ptr, 0xe0), mload(add(t, 0x40))) // segmentSize
            mstore(add(ptr, 0x100), mload(add(t, 0x60))) // periods
            mstore(add(ptr, 0x120), mload(add(t, 0x80))) // periodLength
            mstore(add(ptr, 0x140), mload(add(t, 0xa0))) // segmentsPerPeriod
            mstore(add(ptr, 0x160), and(terms, 0xffffffffffffffffffffffffffffffff)) // price
            mstore(add(ptr, 0x180), shr(128, terms)) // collateral
            mstore(add(ptr, 0x1a0), and(shr(160, hostExpiryNonce), 0xffffffffffff)) // expiry
            mstore(add(ptr, 0x1c0), shr(208, hostExpiryNonce)) // nonce (24 bits, checked)
            structHash := keccak256(ptr, 0x1e0)
            // EIP-712 digest: keccak256("\x19\x01" ‖ domainSeparator ‖ structHash).
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), mload(add(t, 0xc0)))
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @dev Checks expiry, price and signature of an offer; returns its terms (record word 1).
    function _checkOffer(
        Terms memory t,
        uint256 shard,
        uint256 generation,
        bytes32 root,
        uint256 maxPrice,
        Offer calldata offer
    ) internal view returns (uint256 terms) {
        // view: reads the clock.
        uint256 hostExpiryNonce = offer.hostExpiryNonce;
        terms = offer.terms;
        uint256 expiry = (hostExpiryNonce >> 160) & 0xffffffffffff;
        if (block.timestamp > expiry) revert StorageOfferExpired(shard, uint64(expiry));
        // One nonce width everywhere: 24 bits, all cancellable (HostRegistry.cancelOffers).
        if (hostExpiryNonce >> 232 != 0) revert StorageInvalidNonce(hostExpiryNonce >> 208);
        uint256 price = terms.price();
        if (price == 0 || price > maxPrice) revert StorageInvalidPrice(price, maxPrice);
        // OpenZeppelin's recover rejects malleable (high-s) signatures.
        address signer = ECDSA.recover(
            _offerDigest(t, shard, generation, root, hostExpiryNonce, terms),
            offer.r,
            offer.vs
        );
        address host = address(uint160(hostExpiryNonce));
        if (signer != host) revert StorageOfferSignerMismatch(shard, host, signer);
    }

    // ----------------------------------------------------------------------------------------
    // Tenures and payouts
    // ----------------------------------------------------------------------------------------

    /// @dev What a tenure ending now pays its host, and what it reports to the registry.
    /// The host gets its unclaimed regular pay, plus the withheld part if it `completed`.
    /// The slash is the per-miss rate times the misses, capped at the collateral.
    function _tenureEnd(
        uint256 w0,
        uint256 w1,
        bool completed
    ) internal view returns (uint256 pay, IHostRegistry.Tenure memory t) {
        (uint256 price, uint256 collateral) = (w1.price(), w1.collateral());
        uint256 passed = w0.passed();
        uint256 withheld = (price * _withheldBps) / _BPS;
        // Safe: claimed <= passed and withheld <= price, by construction of the records.
        unchecked {
            pay = (passed - w0.claimed()) * (price - withheld);
        }
        if (completed) pay += passed * withheld;
        uint256 missed = w0.missed();
        uint256 slash = missed * ((collateral * _slashBps) / _BPS);
        if (slash > collateral) slash = collateral;
        t = IHostRegistry.Tenure({
            host: w0.host(),
            unlock: collateral,
            slash: slash,
            passed: passed,
            missed: missed,
            completed: completed
        });
    }

    /// @dev Takes `amount` out of the deal's escrow; no deal pays out more than it holds.
    function _spendEscrow(Deal storage d, uint256 dealId, uint256 amount) internal {
        uint256 escrow = d.escrow;
        if (amount > escrow) revert StorageEscrowExceeded(dealId, escrow, amount); // coverage: unreachable (invariant 2 guard; payouts are sized from the escrow)
        // Safe: amount <= escrow, checked above.
        unchecked {
            d.escrow = uint128(escrow - amount);
        }
    }

    /// @dev Pays `amount` from the market's pool to `to`'s free vault balance (skips zero).
    function _release(address to, uint256 amount) internal {
        if (amount != 0) _vault.release(to, amount);
    }

    /// @dev Ends one tenure in the registry; returns the slash moved into the market's pool.
    function _endOneTenure(IHostRegistry.Tenure memory t) internal returns (uint256 slashed) {
        IHostRegistry.Tenure[] memory tenures = new IHostRegistry.Tenure[](1);
        tenures[0] = t;
        slashed = _registry.endTenures(tenures);
    }

    /// @dev Pays the first `count` entries in one vault call (skipped when all are zero).
    function _releaseBatch(address[] memory to, uint256[] memory amounts, uint256 count) internal {
        uint256 total;
        for (uint256 i; i < count; ++i) {
            total += amounts[i];
        }
        if (total == 0) return;
        assembly ("memory-safe") {
            // Trim both arrays to `count` (never longer than they are).
            mstore(to, count)
            mstore(amounts, count)
        }
        _vault.releaseBatch(to, amounts);
    }
}
