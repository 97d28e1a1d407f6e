// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title IHostRegistry
/// @notice Storage hosts: profiles, stake, unbonding, collateral locked by deals, slashing by the
/// storage market, and an on-chain track record the SDK scores hosts from.
/// @dev The registry is an authorised market of the EscrowVault. A host's stake is its
/// sub-account inside the registry's held pool: staking commits the host's free vault balance,
/// unstaking releases it back. Stake = free + unbonding + locked. Only a storage market the owner
/// wired (`setMarket`) can lock, unlock or slash, and it slashes only for missed challenges.
/// Unwiring a market retires it: it can open no new deal, but what it committed before (its
/// open deals' tenure ends and successors) keeps working, so no deal freezes.
///
/// Track records are folded in lazily: the market counts passes and misses per shard tenure
/// inside the deal's committed records and reports them here once, when the tenure ends (deal
/// end, shard lost, graceful exit). A per-proof write into per-host records would cost ~5,000
/// gas per proof and break the proof budget. The registry therefore lags running deals.
interface IHostRegistry {
    /// @notice What a host advertises.
    /// @param capacity Bytes the host offers.
    /// @param pricePerGiBPerPeriod Asking price in token units per GiB per period (advisory;
    /// the signed offer is what binds).
    /// @param region ISO 3166-1 numeric country code, 0 for none.
    /// @param endpoint Peer id or multiaddr/URL the host serves shards at.
    struct Profile {
        uint64 capacity;
        uint128 pricePerGiBPerPeriod;
        uint16 region;
        string endpoint;
    }

    /// @notice A host's stake. `stake` includes `locked` and `unbonding`.
    struct StakeInfo {
        uint256 stake;
        uint256 locked;
        uint256 unbonding;
        uint64 unbondingReadyAt;
        uint64 minNonce;
        bool registered;
    }

    /// @notice A host's on-chain history, folded in at the end of each shard tenure.
    struct TrackRecord {
        uint64 proofsPassed;
        uint64 proofsMissed;
        uint32 dealsCompleted;
        uint32 dealsLost;
        uint64 registeredAt;
    }

    /// @notice The end of one host's tenure on one shard, reported by the market.
    /// @param host The host.
    /// @param unlock Collateral released from the lock (the slash included).
    /// @param slash Part of `unlock` taken from the stake and moved to the market's pool.
    /// @param passed Challenges passed in the tenure.
    /// @param missed Challenges missed in the tenure.
    /// @param completed True if the host served to the end (or handed over); false if it lost the shard.
    struct Tenure {
        address host;
        uint256 unlock;
        uint256 slash;
        uint256 passed;
        uint256 missed;
        bool completed;
    }

    // ----------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------

    /// @notice The zero address was given where an account is required.
    error RegistryZeroAddress();
    /// @notice An amount of zero was given where a positive amount is required.
    error RegistryZeroAmount();
    /// @notice `amount` does not fit the registry's 112-bit stake accounts.
    error RegistryAmountTooLarge(uint256 amount);
    /// @notice `host` has not registered a profile.
    error RegistryNotRegistered(address host);
    /// @notice The endpoint is `length` bytes; at most `max` are allowed.
    error RegistryEndpointTooLong(uint256 length, uint256 max);
    /// @notice `host` has `free` stake but `needed` was asked for.
    error RegistryInsufficientFreeStake(address host, uint256 free, uint256 needed);
    /// @notice `host` has `locked` collateral but `needed` was asked to be unlocked or slashed.
    error RegistryInsufficientLocked(address host, uint256 locked, uint256 needed);
    /// @notice `host` has nothing unbonding.
    error RegistryNothingUnbonding(address host);
    /// @notice `host`'s unbonding stake is only free after `readyAt`.
    error RegistryUnbondingNotReady(address host, uint64 readyAt);
    /// @notice The caller is not a storage market wired by the owner.
    error RegistryNotMarket(address caller);
    /// @notice `host` cancelled offers below `minNonce`; this offer has `nonce`.
    error RegistryOfferCancelled(address host, uint256 nonce, uint256 minNonce);
    /// @notice Offer cancellation only moves forward: `current` to `requested` is not.
    error RegistryNonceNotIncreasing(uint256 current, uint256 requested);
    /// @notice A slash of `slash` exceeds the `unlock` it is part of.
    error RegistrySlashExceedsUnlock(uint256 unlock, uint256 slash);
    /// @notice Arrays that go together have different lengths.
    error RegistryLengthMismatch();
    /// @notice The unbonding delay `delay` is outside 1 second to 365 days.
    error RegistryInvalidUnbondingDelay(uint256 delay);

    // ----------------------------------------------------------------------------------------
    // Events
    // ----------------------------------------------------------------------------------------

    /// @notice `host` registered (`firstTime`) or updated its profile.
    event ProfileSet(
        address indexed host,
        uint64 capacity,
        uint128 pricePerGiBPerPeriod,
        uint16 region,
        string endpoint,
        bool firstTime
    );
    /// @notice `host` added `amount` to its stake.
    event Staked(address indexed host, uint256 amount);
    /// @notice `host` started unbonding; `amount` is what now unbonds, free after `readyAt`.
    event UnbondingRequested(address indexed host, uint256 amount, uint64 readyAt);
    /// @notice `host` took `amount` of unbonding stake back into its free stake.
    event UnbondingCancelled(address indexed host, uint256 amount);
    /// @notice `host` withdrew `amount` of unbonded stake to its free vault balance.
    event Unstaked(address indexed host, uint256 amount);
    /// @notice `host` invalidated every unused offer with a nonce below `minNonce`.
    event OffersCancelled(address indexed host, uint32 minNonce);
    /// @notice `market` unlocked `amount` of `host`'s collateral, of which `slashed` was taken.
    event CollateralReleased(address indexed host, address indexed market, uint256 amount, uint256 slashed);
    /// @notice A tenure was folded into `host`'s track record.
    event TrackRecordUpdated(address indexed host, uint256 passed, uint256 missed, bool completed);
    /// @notice The owner wired (`active`) or retired a storage market.
    event MarketSet(address indexed market, bool active);

    // ----------------------------------------------------------------------------------------
    // Hosts
    // ----------------------------------------------------------------------------------------

    /// @notice Registers the caller as a host, or updates its profile. The endpoint is bound to
    /// the caller's address.
    /// @param profile Capacity, asking price, region and endpoint (at most 256 bytes).
    function setProfile(Profile calldata profile) external;

    /// @notice Commits `amount` of the caller's free vault balance as stake. Needs the caller's
    /// vault approval for this registry (`vault.setMarketApproval(registry, true)`) and a profile.
    function stake(uint256 amount) external;

    /// @notice Moves `amount` of free stake into unbonding. The whole unbonding amount becomes
    /// withdrawable `unbondingDelay()` seconds after the latest request.
    function requestUnbonding(uint256 amount) external;

    /// @notice Takes all unbonding stake back into free stake.
    function cancelUnbonding() external;

    /// @notice After the delay, releases all unbonding stake to the caller's free vault balance.
    function withdrawUnbonded() external;

    /// @notice Invalidates all of the caller's unused offers with a nonce below `minNonce`. Offer
    /// nonces are 24-bit; `minNonce` may go up to 2**24, which cancels every offer.
    function cancelOffers(uint32 minNonce) external;

    // ----------------------------------------------------------------------------------------
    // Markets
    // ----------------------------------------------------------------------------------------

    /// @notice Locks `amounts[i]` of `hosts[i]`'s free stake for an offer with `nonces[i]`, for a
    /// new deal. Reverts if a host is unregistered, cancelled the nonce, or lacks free stake.
    /// Active markets only.
    /// Emits nothing (gas): the market's events record each lock; `stakeOf` shows the total.
    function lockCollateral(address[] calldata hosts, uint256[] calldata amounts, uint256[] calldata nonces) external;

    /// @notice Locks `amount` of `host`'s free stake for an offer with `nonce`, for the successor on
    /// a shard of a deal already open (exit or repair). Active or retired markets.
    function lockSuccessor(address host, uint256 amount, uint256 nonce) external;

    /// @notice Ends tenures: unlocks collateral, takes slashes (moved to the caller's vault pool)
    /// and folds the counts into track records. Active or retired markets.
    /// @return slashed The total moved to the caller's pool.
    function endTenures(Tenure[] calldata tenures) external returns (uint256 slashed);

    // ----------------------------------------------------------------------------------------
    // Administration
    // ----------------------------------------------------------------------------------------

    /// @notice Wires (`active` true) or retires a storage market. Owner only.
    function setMarket(address market, bool active) external;

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @notice The vault the stake lives in.
    function vault() external view returns (address);

    /// @notice Seconds between the latest unbonding request and the withdrawal.
    function unbondingDelay() external view returns (uint64);

    /// @notice Whether `market` is active: it may open deals (lock collateral for them).
    function isMarket(address market) external view returns (bool);

    /// @notice Whether `market` is retired: only its open deals may still end tenures and lock
    /// successors.
    function isRetiredMarket(address market) external view returns (bool);

    /// @notice `host`'s profile.
    function profileOf(address host) external view returns (Profile memory);

    /// @notice `host`'s stake accounts.
    function stakeOf(address host) external view returns (StakeInfo memory);

    /// @notice `host`'s free stake: what can be locked or start unbonding.
    function freeStakeOf(address host) external view returns (uint256);

    /// @notice `host`'s track record.
    function trackRecordOf(address host) external view returns (TrackRecord memory);
}
