// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEscrowVault} from "../interfaces/IEscrowVault.sol";
import {IHostRegistry} from "../interfaces/IHostRegistry.sol";

/// @title HostRegistry
/// @notice Host profiles, stake in the vault, unbonding, deal collateral and track records.
/// @dev Pausing: staking commits through the vault and so stops while the vault is paused;
/// unbonding, withdrawals and the market's unlocks keep working.
contract HostRegistry is IHostRegistry, Ownable2Step, ReentrancyGuardTransient {
    /// @dev Stake and the offer floor, in one slot. `bonded` excludes unbonding stake and includes
    /// `locked`; free stake is `bonded - locked`. Offers carry 24-bit nonces; `minNonce` goes up
    /// to 2**24, which cancels every one of them. Registration is the track record's
    /// `registeredAt` (non-zero once registered).
    struct HostState {
        uint112 bonded;
        uint112 locked;
        uint32 minNonce;
    }

    struct Unbonding {
        uint112 amount;
        uint64 readyAt;
    }

    uint256 private constant _MAX_ENDPOINT = 256;
    /// @dev One past the largest offer nonce (offers sign a uint24).
    uint256 private constant _NONCE_LIMIT = 1 << 24;
    uint8 private constant _MARKET_ACTIVE = 1;
    uint8 private constant _MARKET_RETIRED = 2;

    IEscrowVault private immutable _vault;
    uint64 private immutable _unbondingDelay;

    mapping(address host => HostState) private _hosts;
    mapping(address host => Unbonding) private _unbondings;
    mapping(address host => TrackRecord) private _records;
    mapping(address host => Profile) private _profiles;
    mapping(address market => uint8) private _markets;

    /// @dev New commitments: only an active market.
    modifier onlyActiveMarket() {
        if (_markets[msg.sender] != _MARKET_ACTIVE) revert RegistryNotMarket(msg.sender);
        _;
    }

    /// @dev What was committed before retirement (tenure ends, successors of open deals): an
    /// active or a retired market.
    modifier onlyWiredMarket() {
        if (_markets[msg.sender] == 0) revert RegistryNotMarket(msg.sender);
        _;
    }

    /// @param vault_ The EscrowVault holding the stake (the registry must be authorised there).
    /// @param owner_ Wires storage markets.
    /// @param unbondingDelay_ Seconds from the latest unbonding request to the withdrawal.
    constructor(address vault_, address owner_, uint64 unbondingDelay_) Ownable(owner_) {
        if (vault_ == address(0)) revert RegistryZeroAddress();
        if (unbondingDelay_ == 0 || unbondingDelay_ > 365 days) revert RegistryInvalidUnbondingDelay(unbondingDelay_);
        _vault = IEscrowVault(vault_);
        _unbondingDelay = unbondingDelay_;
    }

    // ----------------------------------------------------------------------------------------
    // Hosts
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IHostRegistry
    function setProfile(Profile calldata profile) external {
        uint256 length = bytes(profile.endpoint).length;
        if (length > _MAX_ENDPOINT) revert RegistryEndpointTooLong(length, _MAX_ENDPOINT);
        TrackRecord storage record = _records[msg.sender];
        bool firstTime = record.registeredAt == 0;
        if (firstTime) record.registeredAt = uint64(block.timestamp);
        _profiles[msg.sender] = profile;
        emit ProfileSet(
            msg.sender,
            profile.capacity,
            profile.pricePerGiBPerPeriod,
            profile.region,
            profile.endpoint,
            firstTime
        );
    }

    /// @inheritdoc IHostRegistry
    function stake(uint256 amount) external nonReentrant {
        if (_records[msg.sender].registeredAt == 0) revert RegistryNotRegistered(msg.sender);
        if (amount == 0) revert RegistryZeroAmount();
        HostState storage h = _hosts[msg.sender];
        uint256 bonded = h.bonded + amount;
        if (bonded > type(uint112).max) revert RegistryAmountTooLarge(bonded);
        h.bonded = uint112(bonded);
        emit Staked(msg.sender, amount);
        _vault.commit(msg.sender, amount);
    }

    /// @inheritdoc IHostRegistry
    function requestUnbonding(uint256 amount) external {
        if (amount == 0) revert RegistryZeroAmount();
        HostState storage h = _hosts[msg.sender];
        uint256 free = h.bonded - h.locked;
        if (amount > free) revert RegistryInsufficientFreeStake(msg.sender, free, amount);
        Unbonding storage u = _unbondings[msg.sender];
        // Safe: amount <= free <= bonded; the unbonding total is part of the stake, below 2**112.
        unchecked {
            h.bonded -= uint112(amount);
            u.amount += uint112(amount);
        }
        uint64 readyAt = uint64(block.timestamp) + _unbondingDelay;
        u.readyAt = readyAt;
        emit UnbondingRequested(msg.sender, u.amount, readyAt);
    }

    /// @inheritdoc IHostRegistry
    function cancelUnbonding() external {
        uint112 amount = _unbondings[msg.sender].amount;
        if (amount == 0) revert RegistryNothingUnbonding(msg.sender);
        delete _unbondings[msg.sender];
        // Safe: the amount left `bonded` earlier, so adding it back fits 112 bits.
        unchecked {
            _hosts[msg.sender].bonded += amount;
        }
        emit UnbondingCancelled(msg.sender, amount);
    }

    /// @inheritdoc IHostRegistry
    function withdrawUnbonded() external nonReentrant {
        Unbonding memory u = _unbondings[msg.sender];
        if (u.amount == 0) revert RegistryNothingUnbonding(msg.sender);
        if (block.timestamp < u.readyAt) revert RegistryUnbondingNotReady(msg.sender, u.readyAt);
        delete _unbondings[msg.sender];
        emit Unstaked(msg.sender, u.amount);
        _vault.release(msg.sender, u.amount);
    }

    /// @inheritdoc IHostRegistry
    function cancelOffers(uint32 minNonce) external {
        HostState storage h = _hosts[msg.sender];
        uint256 current = h.minNonce;
        if (minNonce <= current || minNonce > _NONCE_LIMIT) revert RegistryNonceNotIncreasing(current, minNonce);
        h.minNonce = minNonce;
        emit OffersCancelled(msg.sender, minNonce);
    }

    // ----------------------------------------------------------------------------------------
    // Markets
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IHostRegistry
    /// @dev No event: the market's `ShardsUpdated` carries each shard's host and collateral, and a
    /// per-host event would cost ~1,800 gas per shard of a deal (a batch one ~600).
    function lockCollateral(
        address[] calldata hosts,
        uint256[] calldata amounts,
        uint256[] calldata nonces
    ) external onlyActiveMarket {
        uint256 count = hosts.length;
        if (count != amounts.length || count != nonces.length) revert RegistryLengthMismatch();
        for (uint256 i; i < count; ++i) {
            _lock(hosts[i], amounts[i], nonces[i]);
        }
    }

    /// @inheritdoc IHostRegistry
    function lockSuccessor(address host, uint256 amount, uint256 nonce) external onlyWiredMarket {
        _lock(host, amount, nonce);
    }

    /// @inheritdoc IHostRegistry
    function endTenures(Tenure[] calldata tenures) external onlyWiredMarket nonReentrant returns (uint256 slashed) {
        for (uint256 i; i < tenures.length; ++i) {
            Tenure calldata t = tenures[i];
            (address host, uint256 unlock, uint256 slash) = (t.host, t.unlock, t.slash);
            if (slash > unlock) revert RegistrySlashExceedsUnlock(unlock, slash);
            HostState storage h = _hosts[host];
            uint256 locked = h.locked;
            if (unlock > locked) revert RegistryInsufficientLocked(host, locked, unlock);
            // Safe: slash <= unlock <= locked <= bonded, checked above.
            unchecked {
                h.locked = uint112(locked - unlock);
                h.bonded -= uint112(slash);
                slashed += slash;
            }
            if (unlock != 0) emit CollateralReleased(host, msg.sender, unlock, slash);
            TrackRecord storage r = _records[host];
            // Safe: counts are at most a deal's periods (< 2**16) per tenure; 64-bit totals and
            // 32-bit deal counts cannot wrap in any realistic lifetime. Checked all the same.
            r.proofsPassed += uint64(t.passed);
            r.proofsMissed += uint64(t.missed);
            if (t.completed) r.dealsCompleted += 1;
            else r.dealsLost += 1;
            emit TrackRecordUpdated(host, t.passed, t.missed, t.completed);
        }
        if (slashed != 0) _vault.transferHeld(msg.sender, slashed);
    }

    /// @dev Locks `amount` of `host`'s free stake for an offer with `nonce`.
    function _lock(address host, uint256 amount, uint256 nonce) private {
        HostState memory h = _hosts[host];
        if (_records[host].registeredAt == 0) revert RegistryNotRegistered(host);
        if (nonce < h.minNonce) revert RegistryOfferCancelled(host, nonce, h.minNonce);
        // Safe: locked <= bonded always holds.
        uint256 free;
        unchecked {
            free = h.bonded - h.locked;
        }
        if (amount > free) revert RegistryInsufficientFreeStake(host, free, amount);
        if (amount != 0) {
            // Safe: amount <= free, so locked + amount <= bonded < 2**112.
            unchecked {
                _hosts[host].locked = h.locked + uint112(amount);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Administration
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IHostRegistry
    /// @dev Deactivating a market retires it: no new deals, but its open deals still settle,
    /// finalize, exit and repair (they end tenures and lock successors).
    function setMarket(address market, bool active) external onlyOwner {
        if (market == address(0)) revert RegistryZeroAddress();
        if (active) _markets[market] = _MARKET_ACTIVE;
        else if (_markets[market] != 0) _markets[market] = _MARKET_RETIRED;
        emit MarketSet(market, active);
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IHostRegistry
    function vault() external view returns (address) {
        return address(_vault);
    }

    /// @inheritdoc IHostRegistry
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @inheritdoc IHostRegistry
    function isMarket(address market) external view returns (bool) {
        return _markets[market] == _MARKET_ACTIVE;
    }

    /// @inheritdoc IHostRegistry
    function isRetiredMarket(address market) external view returns (bool) {
        return _markets[market] == _MARKET_RETIRED;
    }

    /// @inheritdoc IHostRegistry
    function profileOf(address host) external view returns (Profile memory) {
        return _profiles[host];
    }

    /// @inheritdoc IHostRegistry
    function stakeOf(address host) external view returns (StakeInfo memory) {
        HostState memory h = _hosts[host];
        Unbonding memory u = _unbondings[host];
        return
            StakeInfo({
                stake: uint256(h.bonded) + u.amount,
                locked: h.locked,
                unbonding: u.amount,
                unbondingReadyAt: u.readyAt,
                minNonce: h.minNonce,
                registered: _records[host].registeredAt != 0
            });
    }

    /// @inheritdoc IHostRegistry
    function freeStakeOf(address host) external view returns (uint256) {
        HostState memory h = _hosts[host];
        return h.bonded - h.locked;
    }

    /// @inheritdoc IHostRegistry
    function trackRecordOf(address host) external view returns (TrackRecord memory) {
        return _records[host];
    }
}
