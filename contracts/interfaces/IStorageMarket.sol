// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title IStorageMarket (with IStorageMarketTypes: its structs, errors and events)
/// @notice Storage deals: a tenant stores a file as erasure-coded shards (default 30, any 10
/// recover it) on distinct hosts, prepaid into the market's vault pool; hosts answer one random
/// segment challenge per period; proven shards earn, missed ones are slashed, lost ones repaired.
///
/// Storage layout (what is stored, what is committed):
/// - Per deal, six slots: the deal header (two slots), `rootsCommitment` (a Merkle root over the
///   shard roots, SegmentProof node rule, roots as leaves), `shardsHash` (keccak256 of the packed
///   opening shard records, libraries/ShardRecords.sol), the challenge slot and the seed slot.
/// - The opening records (each shard's first host and terms) are NOT stored: every call that
///   needs them takes them as calldata (from `ShardsUpdated`, emitted once at opening) and the
///   market checks them against `shardsHash`. They never change, so no caller can make another
///   caller's pending transaction stale.
/// - What changes is stored where it is cheap to keep: each shard's counters in 80 bits, three
///   shards per slot, written only when they change (a period in which every host proves writes
///   none); a successor's host and terms, two slots per handover. `shardRecords` gives the
///   current records.
/// - Offers are replay-proof without a nonce map: each offer binds the deal id (derived from
///   tenant and salt, openable once) and the shard's generation, which grows at every handover.
///   The offer nonce lets a host cancel unused offers in bulk (HostRegistry.cancelOffers).
/// - Payouts accrue in the records (`passed`, `claimed`) and leave the pool only on `claim`,
///   at the end of a tenure, or at the end of the deal; slashes are realised when a tenure ends.
///
/// Pausing: opening a deal commits through the vault, so new deals stop while the vault is
/// paused. Challenges, proofs, settlement, claims and the end of deals keep working.
interface IStorageMarketTypes {
    /// @notice The deal parameters every offer of a deal binds.
    /// @param salt Any value chosen by the tenant; `dealId = uint256(keccak256(abi.encode(tenant, salt)))`.
    /// @param shardSize Bytes per shard before padding.
    /// @param segmentSize Bytes per challenged segment, a power of two from 32 to 65536.
    /// @param periods Number of paid periods.
    /// @param periodLength Seconds per period (at least the response window).
    /// @param minShards Live shards needed to recover the file (the erasure code's data shards).
    /// @param segmentsPerPeriod Segments asked of each shard per period, 1 to 16 (signed in every
    /// offer): a host that kept a fraction f of its shard answers with probability f**k.
    struct DealParams {
        bytes32 salt;
        uint64 shardSize;
        uint32 segmentSize;
        uint16 periods;
        uint32 periodLength;
        uint8 minShards;
        uint8 segmentsPerPeriod;
    }

    /// @notice A host's signed offer for one shard (TIP-712 `StorageOffer`, fields as in
    /// sdk/src/storage/offer.ts), packed into four words: TRON bills every calldata byte as
    /// bandwidth, zeros included, and packed words need no per-field ABI validation.
    /// @param hostExpiryNonce `host` (bits 0-159) | `expiry` (160-207) | `nonce` (208-231);
    /// bits 232-255 are zero. `expiry` is the last timestamp the offer can be used at; `nonce`
    /// (24 bits, as in the typed data and the registry) is cancellable with
    /// HostRegistry.cancelOffers.
    /// @param terms `price` per period (bits 0-127) | `collateral` (128-255): the shard record's
    /// word 1. `price` is in token units per period; `collateral` is locked in the registry.
    /// @param r First half of the EIP-2098 compact signature.
    /// @param vs Second half: `s` with the parity of `v` in its top bit.
    struct Offer {
        uint256 hostExpiryNonce;
        uint256 terms;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A tenant's TIP-712 `RepairAuthorization(dealId, repairer, expiry)`: `repairer` (the
    /// caller) may choose repair hosts for the deal until `expiry`. Unused when the tenant calls.
    struct RepairAuth {
        uint48 expiry;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice One shard's proof of a batch: `segmentsPerPeriod` segments and their Merkle paths,
    /// each concatenated in the order of `challengedSegments`.
    struct ShardProof {
        uint256 shard;
        bytes segment;
        bytes32[] proof;
    }

    /// @notice A deal as stored.
    struct DealView {
        address tenant;
        uint8 shardCount;
        uint8 minShards;
        uint8 status;
        uint16 periods;
        uint16 settledPeriods;
        uint32 periodLength;
        uint64 start;
        uint64 shardSize;
        uint32 segmentSize;
        uint64 segmentCount;
        uint8 segmentsPerPeriod;
        uint256 escrow;
        bytes32 rootsCommitment;
        bytes32 shardsHash;
    }

    /// @notice The deal's current challenge.
    struct ChallengeView {
        uint8 state;
        uint64 seedBlock;
        uint64 deadline;
        uint64 provenMask;
        bytes32 seed;
    }

    /// @notice The market's fixed rules.
    /// @param responseWindow Seconds hosts have to prove once the seed is drawn.
    /// @param seedDelay Blocks between opening a challenge and its seed block.
    /// @param missesToLose Consecutive misses after which a shard is lost.
    /// @param withheldBps Part of each period's pay held back until the deal ends, in 1/10,000.
    /// @param slashBps Part of the collateral slashed per missed challenge, in 1/10,000.
    /// @param tenantSlashBps Part of a lost shard's slash paid to the tenant; the rest funds repair.
    struct Config {
        uint32 responseWindow;
        uint16 seedDelay;
        uint8 missesToLose;
        uint16 withheldBps;
        uint16 slashBps;
        uint16 tenantSlashBps;
    }

    // ----------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------

    /// @notice A constructor argument is out of range.
    error StorageInvalidConfig();
    /// @notice The deal has no shards.
    error StorageNoShards();
    /// @notice `count` shards exceed the maximum of `max`.
    error StorageTooManyShards(uint256 count, uint256 max);
    /// @notice `roots` and `offers` differ in length.
    error StorageLengthMismatch(uint256 roots, uint256 offers);
    /// @notice `minShards` must lie between 1 and the shard count `shardCount`.
    error StorageInvalidMinShards(uint256 minShards, uint256 shardCount);
    /// @notice The segment size is not a power of two from 32 to 65536.
    error StorageInvalidSegmentSize(uint256 segmentSize);
    /// @notice The shard size is zero or gives more than 2**40 segments.
    error StorageInvalidShardSize(uint256 shardSize);
    /// @notice `periods` must be at least 1.
    error StorageInvalidPeriods(uint256 periods);
    /// @notice The period length is shorter than the response window `minimum`.
    error StorageInvalidPeriodLength(uint256 periodLength, uint256 minimum);
    /// @notice A deal with this id exists already (same tenant and salt).
    error StorageDealExists(uint256 dealId);
    /// @notice No deal has this id.
    error StorageDealNotFound(uint256 dealId);
    /// @notice The deal is not active (status `status`).
    error StorageDealNotActive(uint256 dealId, uint8 status);
    /// @notice The offer for shard `shard` expired at `expiry`.
    error StorageOfferExpired(uint256 shard, uint64 expiry);
    /// @notice The offer for shard `shard` was signed by `signer`, not by `host`.
    error StorageOfferSignerMismatch(uint256 shard, address host, address signer);
    /// @notice `host` appears more than once among the deal's live hosts.
    error StorageDuplicateHost(address host);
    /// @notice An amount does not fit 128 bits.
    error StorageAmountTooLarge(uint256 amount);
    /// @notice The offer's price `price` is zero or exceeds the shard's budget `maxPrice` per period.
    error StorageInvalidPrice(uint256 price, uint256 maxPrice);
    /// @notice The shard records passed in do not match the deal's commitment.
    error StorageStaleRecords(uint256 dealId);
    /// @notice The shard root does not belong to the deal at index `shard`.
    error StorageInvalidShardRoot(uint256 dealId, uint256 shard);
    /// @notice Shard `shard` is out of range for a deal of `shardCount` shards.
    error StorageShardOutOfRange(uint256 shard, uint256 shardCount);
    /// @notice The challenge is in state `state`, not the one this call needs.
    error StorageWrongChallengeState(uint256 dealId, uint8 state);
    /// @notice Period `period` starts at `startsAt`.
    error StoragePeriodNotStarted(uint256 period, uint64 startsAt);
    /// @notice All periods are settled.
    error StorageNoPeriodsLeft(uint256 dealId);
    /// @notice The seed block `seedBlock` is not yet in the past.
    error StorageSeedNotReady(uint64 seedBlock);
    /// @notice The response deadline `deadline` has passed.
    error StorageChallengeExpired(uint64 deadline);
    /// @notice The response deadline `deadline` has not passed yet.
    error StorageChallengeNotExpired(uint64 deadline);
    /// @notice Shard `shard` was already proven for this challenge.
    error StorageAlreadyProven(uint256 shard);
    /// @notice The proof of shard `shard` at segment `index` does not match its root.
    error StorageInvalidProof(uint256 shard, uint256 index);
    /// @notice Shard `shard` is lost, or not lost, against what this call needs.
    error StorageWrongShardState(uint256 shard, bool lost);
    /// @notice Only the shard's host `host` can hand it over.
    error StorageNotShardHost(uint256 shard, address host);
    /// @notice Shard `shard` was handed over too often.
    error StorageTooManyGenerations(uint256 shard);
    /// @notice The deal still has periods to settle.
    error StorageDealNotOver(uint256 dealId, uint256 settledPeriods, uint256 periods);
    /// @notice `segmentsPerPeriod` must lie between 1 and `max`.
    error StorageInvalidSegmentsPerPeriod(uint256 segmentsPerPeriod, uint256 max);
    /// @notice An offer's nonce field `nonce` does not fit 24 bits.
    error StorageInvalidNonce(uint256 nonce);
    /// @notice The successor of shard `shard` offers `offered` collateral, below the `minimum` of
    /// the host it replaces.
    error StorageCollateralTooLow(uint256 shard, uint256 minimum, uint256 offered);
    /// @notice `caller` is neither the tenant nor authorised by the tenant to repair this deal.
    error StorageNotRepairer(uint256 dealId, address caller);
    /// @notice Shard `shard`'s current tenure starts after the open challenge: its proof would count
    /// for no host.
    error StorageShardNotDue(uint256 shard);
    /// @notice A payout of `amount` would exceed the deal's escrow `escrow` (never expected).
    error StorageEscrowExceeded(uint256 dealId, uint256 escrow, uint256 amount);

    // ----------------------------------------------------------------------------------------
    // Events
    // ----------------------------------------------------------------------------------------

    /// @notice A deal was opened and `escrow` committed from the tenant.
    event DealOpened(
        uint256 indexed dealId,
        address indexed tenant,
        bytes32 rootsCommitment,
        uint64 shardSize,
        uint32 segmentSize,
        uint16 periods,
        uint32 periodLength,
        uint8 minShards,
        uint8 segmentsPerPeriod,
        uint256 escrow
    );
    /// @notice The deal's opening shard records (two words per shard), emitted once when it opens.
    /// Every call that takes `records` takes these; `shardRecords` gives the current ones.
    event ShardsUpdated(uint256 indexed dealId, uint256[] records);
    /// @notice The challenge of `period` was opened (or reopened) on seed block `seedBlock`.
    event ChallengeOpened(uint256 indexed dealId, uint256 period, uint64 seedBlock);
    /// @notice The seed of `period` was drawn; proofs are due by `deadline`.
    event SeedDrawn(uint256 indexed dealId, uint256 period, bytes32 seed, uint64 deadline);
    /// @notice A batch of proofs was accepted; `provenMask` is every shard proven so far this period.
    event ProofsAccepted(uint256 indexed dealId, uint256 period, uint64 provenMask);
    /// @notice `period` was settled: `missedMask` were charged a miss, `lostMask` were lost.
    event PeriodSettled(uint256 indexed dealId, uint256 period, uint64 provenMask, uint64 missedMask, uint64 lostMask);
    /// @notice `host` lost shard `shard`; `slashed` of its collateral was taken.
    event ShardLost(uint256 indexed dealId, uint256 indexed shard, address indexed host, uint256 slashed);
    /// @notice Shard `shard` moved from `fromHost` to `toHost` (`repair` or graceful exit).
    event ShardReassigned(
        uint256 indexed dealId,
        uint256 indexed shard,
        address fromHost,
        address toHost,
        uint256 generation,
        bool repair
    );
    /// @notice `host` earned the repair bounty of shard `shard`.
    event RepairBountyPaid(uint256 indexed dealId, uint256 indexed shard, address indexed host, uint256 amount);
    /// @notice `host` was paid `amount` out of the deal's escrow.
    event HostPaid(uint256 indexed dealId, address indexed host, uint256 amount);
    /// @notice The deal ended (`lost` if too few shards lived); `refund` went back to the tenant.
    event DealEnded(uint256 indexed dealId, bool lost, uint256 refund);
}

/// @title IStorageMarket
/// @notice Deals, challenges, proofs, settlement and views. Repair and graceful exit are in
/// IStorageHandover, answered at the same address.
interface IStorageMarket is IStorageMarketTypes {
    // ----------------------------------------------------------------------------------------
    // Deals
    // ----------------------------------------------------------------------------------------

    /// @notice Opens a deal in one transaction: checks every offer, commits the whole price from
    /// the caller's vault balance and locks each host's collateral. The caller is the tenant.
    /// @param params Sizes, periods and salt; `roots.length` is the shard count.
    /// @param roots The Merkle root of each shard.
    /// @param offers One offer per shard, from distinct registered hosts.
    /// @return dealId `uint256(keccak256(abi.encode(msg.sender, params.salt)))`.
    function openDeal(
        DealParams calldata params,
        bytes32[] calldata roots,
        Offer[] calldata offers
    ) external returns (uint256 dealId);

    /// @notice Opens the challenge of the next unsettled period, committing to the block
    /// `seedDelay` blocks ahead. Anyone, once the period has started.
    function openChallenge(uint256 dealId) external;

    /// @notice Draws the seed from the committed block's hash, starting the response window.
    /// If that hash is no longer available (over 256 blocks old), reopens the challenge on a new
    /// future block instead. Anyone; proofs draw it too.
    function drawSeed(uint256 dealId) external;

    /// @notice Proves one shard's challenged segments. Anyone may submit it; it counts only for the
    /// shard's current live tenure (not for a lost shard, nor for a host that joined after the
    /// challenge opened). Emits no event (gas): read `challenge(dealId).provenMask`;
    /// `PeriodSettled` records the final set.
    /// @param shardRoot The shard's root; `rootPath` proves it against the deal's commitment.
    /// @param segment The challenged segments (`challengedSegments`), `segmentSize` bytes each,
    /// concatenated.
    /// @param proof Their Merkle paths, bottom up, concatenated in the same order.
    function submitProof(
        uint256 dealId,
        uint256 shard,
        bytes32 shardRoot,
        bytes32[] calldata rootPath,
        bytes calldata segment,
        bytes32[] calldata proof
    ) external;

    /// @notice Proves many shards at once. `roots` is every shard root of the deal (checked
    /// against the commitment once). Shards already proven are skipped.
    function submitProofs(uint256 dealId, bytes32[] calldata roots, ShardProof[] calldata proofs) external;

    /// @notice Settles the current challenge after its deadline: proven shards earn, the others
    /// take a miss; a streak of misses loses the shard; too few live shards lose the deal.
    /// @param records The deal's opening shard records.
    function settle(uint256 dealId, uint256[] calldata records) external;

    /// @notice After the last period is settled: pays the held-back parts, unlocks collateral,
    /// updates track records and refunds the rest to the tenant. Anyone.
    function finalizeDeal(uint256 dealId, uint256[] calldata records) external;

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @notice The vault and host registry the market works with.
    function vault() external view returns (address);

    /// @notice The host registry.
    function registry() external view returns (address);

    /// @notice The market's fixed rules.
    function config() external view returns (Config memory);

    /// @notice The id a deal of `tenant` with `salt` gets.
    function dealIdOf(address tenant, bytes32 salt) external pure returns (uint256);

    /// @notice Deal `dealId` (status 0 none, 1 active, 2 completed, 3 lost).
    function deal(uint256 dealId) external view returns (DealView memory);

    /// @notice The current challenge of `dealId` (state 0 idle, 1 awaiting seed, 2 open).
    function challenge(uint256 dealId) external view returns (ChallengeView memory);

    /// @notice The segments asked of `shard` in the open challenge (`segmentsPerPeriod` of them).
    function challengedSegments(uint256 dealId, uint256 shard) external view returns (uint256[] memory);

    /// @notice What is held for whoever first proves repaired shard `shard`.
    function repairBounty(uint256 dealId, uint256 shard) external view returns (uint256);
}
