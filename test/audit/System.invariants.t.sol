// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {EscrowVault} from "../../contracts/vault/EscrowVault.sol";
import {IEscrowVault} from "../../contracts/interfaces/IEscrowVault.sol";
import {HostRegistry} from "../../contracts/hosts/HostRegistry.sol";
import {IHostRegistry} from "../../contracts/interfaces/IHostRegistry.sol";
import {IStorageHosting} from "../../contracts/interfaces/IStorageHosting.sol";
import {IStorageMarket, IStorageMarketTypes} from "../../contracts/interfaces/IStorageMarket.sol";
import {StorageMarket} from "../../contracts/storage/StorageMarket.sol";
import {ISpeedMarket} from "../../contracts/interfaces/ISpeedMarket.sol";
import {SpeedMarket} from "../../contracts/speed/SpeedMarket.sol";
import {ShardRecords} from "../../contracts/libraries/ShardRecords.sol";
import {TestBTT} from "../../contracts/mocks/TestBTT.sol";

/// @dev Drives the whole system at once: users who deposit, withdraw, escrow, rent storage and
/// buy bandwidth (and seed for each other), hosts who stake, unbond, prove, exit and repair, the
/// pauser, and strangers who send tokens to the vault directly. Deals have two single-segment
/// shards (the segment is the shard, so a proof is the segment alone). Ghosts record what each
/// invariant of DESIGN.md needs; flags record any violation seen inside an action.
contract SystemHandler is Test {
    using ShardRecords for uint256;

    error UnknownDownloader(address downloader);

    uint256 internal constant USERS = 4;
    uint256 internal constant HOSTS = 5;
    uint256 internal constant COLLATERAL = 20e18;
    uint256 internal constant SLASH_BPS = 2_500;
    uint256 internal constant PERIOD = 1 days;
    bytes32 internal constant V2 = keccak256("bttkit system invariant torrent");
    bytes32 internal constant OFFER_TYPEHASH = keccak256(
        "StorageOffer(uint256 dealId,uint32 shardIndex,uint32 generation,address host,bytes32 shardRoot,"
        "uint64 shardSize,uint32 segmentSize,uint16 periods,uint32 periodLength,uint8 segmentsPerPeriod,"
        "uint128 price,uint128 collateral,uint48 expiry,uint24 nonce)"
    );
    bytes32 internal constant REPAIR_TYPEHASH = keccak256(
        "RepairAuthorization(uint256 dealId,address repairer,uint48 expiry)"
    );

    struct DealState {
        uint256 id;
        bytes32 salt;
        bytes32[2] data;
        bytes32[2] roots;
        /// @dev The opening records (what every call takes); `_current` gives the current ones.
        uint256[] records;
        uint256 initialEscrow;
        uint256 paid;
        uint256 settlements;
    }

    TestBTT public immutable btt;
    EscrowVault public immutable vault;
    HostRegistry public immutable registry;
    StorageMarket public immutable market;
    SpeedMarket public immutable speed;
    address public immutable pauser = address(0xFA05E);

    uint256[] internal _userKeys;
    uint256[] internal _hostKeys;
    DealState[] internal _deals;
    /// @dev What `_pick` returns before any deal exists (id 0: the actions return at once).
    DealState internal _none;
    uint256[] public bidIds;
    uint256[] public escrowIds;

    // Ghosts -------------------------------------------------------------------------------------
    uint256 public donated;
    mapping(uint256 bidId => uint256) public bidFunded;
    mapping(uint256 bidId => uint256) public bidRefunded;
    mapping(uint256 escrowId => uint256) public escrowFunded;
    mapping(uint256 escrowId => uint256) public escrowPaid;
    mapping(bytes32 bidSeeder => uint256) internal _lastBytes;
    mapping(bytes32 bidSeeder => uint256) internal _lastPaid;
    mapping(address host => uint256) public staked;
    mapping(address host => uint256) public withdrawn;
    mapping(address host => uint256) public slashed;
    bool public withdrawFailed;
    bool public receiptPaidTwice;
    bool public redeemedShrank;
    bool public wrongProofAccepted;
    bool public settledTwice;
    bool public unjustifiedSlash;

    // Economic ghosts (PROPERTIES.md E1, E2, E4). Host 0 is lazy: it never proves anything.
    /// @dev E1: what the lazy host was paid (HostPaid, RepairBountyPaid).
    uint256 public lazyPaid;
    /// @dev E2: challenges settled while the lazy host held a shard since before they opened.
    uint256 public lazyExposure;
    /// @dev E4: a lost shard was taken over without the tenant's decision, by the host that lost
    /// it, by a host of another live shard of the deal, or below the lost host's collateral.
    bool public repairNotTenants;
    /// @dev E3: the first settling call that reverted for want of an active market ("" if none).
    string public frozenCall;
    string public lastViolation;
    mapping(uint256 dealId => address[2]) internal _heldAtOpen;
    mapping(uint256 dealId => mapping(address repairer => IStorageMarketTypes.RepairAuth)) internal _auths;

    constructor(TestBTT btt_, EscrowVault vault_, HostRegistry registry_, StorageMarket market_, SpeedMarket speed_) {
        (btt, vault, registry, market, speed) = (btt_, vault_, registry_, market_, speed_);
        for (uint256 i; i < USERS; ++i) {
            _userKeys.push(uint256(keccak256(abi.encode("user", i))));
            address u = vm.addr(_userKeys[i]);
            btt.mint(u, 1e24);
            vm.startPrank(u);
            btt.approve(address(vault), type(uint256).max);
            vault.deposit(1e22);
            vault.setMarketApproval(address(market), true);
            vault.setMarketApproval(address(speed), true);
            vm.stopPrank();
        }
        for (uint256 i; i < HOSTS; ++i) {
            _hostKeys.push(uint256(keccak256(abi.encode("host", i))));
            address h = vm.addr(_hostKeys[i]);
            btt.mint(h, 1e22);
            vm.startPrank(h);
            btt.approve(address(vault), type(uint256).max);
            vault.deposit(1e21);
            vault.setMarketApproval(address(registry), true);
            registry.setProfile(IHostRegistry.Profile(1 << 40, 1e18, 276, "h"));
            registry.stake(200e18);
            vm.stopPrank();
            staked[h] = 200e18;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Views for the invariants
    // ---------------------------------------------------------------------------------------

    function userAt(uint256 i) public view returns (address) {
        return vm.addr(_userKeys[i]);
    }

    function hostAt(uint256 i) public view returns (address) {
        return vm.addr(_hostKeys[i]);
    }

    function accounts() external view returns (address[] memory a) {
        a = new address[](USERS + HOSTS);
        for (uint256 i; i < USERS; ++i) a[i] = userAt(i);
        for (uint256 i; i < HOSTS; ++i) a[USERS + i] = hostAt(i);
    }

    /// @dev Anyone: a user (tenant or not), a host, or a stranger with no role at all.
    function actorAt(uint256 i) public view returns (address) {
        i = i % (USERS + HOSTS + 1);
        if (i < USERS) return userAt(i);
        if (i < USERS + HOSTS) return hostAt(i - USERS);
        return address(0x5742A);
    }

    function lazyHost() public view returns (address) {
        return hostAt(0);
    }

    /// @dev E2's other side: misses charged to the lazy host, ended tenures and live records.
    function lazyMisses() external view returns (uint256 misses) {
        misses = registry.trackRecordOf(lazyHost()).proofsMissed;
        for (uint256 i; i < _deals.length; ++i) {
            DealState storage d = _deals[i];
            if (market.deal(d.id).status != 1) continue;
            uint256[] memory r = _current(d);
            for (uint256 j; j < 2; ++j) {
                uint256 w0 = r[2 * j];
                if (w0.host() == lazyHost() && w0.flags() & ShardRecords.FLAG_LOST == 0) misses += w0.missed();
            }
        }
    }

    /// @dev Deal `which`'s current shard records.
    function currentRecords(uint256 which) external view returns (uint256[] memory) {
        return _current(_pick(which));
    }

    function dealCount() external view returns (uint256) {
        return _deals.length;
    }

    function dealGhost(
        uint256 i
    ) external view returns (uint256 id, uint256 initialEscrow, uint256 paid, uint256 settlements) {
        DealState storage d = _deals[i];
        return (d.id, d.initialEscrow, d.paid, d.settlements);
    }

    function bidCount() external view returns (uint256) {
        return bidIds.length;
    }

    function escrowCount() external view returns (uint256) {
        return escrowIds.length;
    }

    // ---------------------------------------------------------------------------------------
    // Vault actions
    // ---------------------------------------------------------------------------------------

    function deposit(uint256 who, uint256 amount) external {
        vm.prank(userAt(who % USERS));
        vault.deposit(bound(amount, 1, 1e21));
    }

    /// Invariant 6: any free balance can be withdrawn, paused or not.
    function withdraw(uint256 who, uint256 amount, bool pausedFirst) external {
        address a = who % 2 == 0 ? userAt(who % USERS) : hostAt(who % HOSTS);
        uint256 balance = vault.balanceOf(a);
        if (balance == 0) return;
        if (pausedFirst && !vault.paused()) {
            vm.prank(pauser);
            vault.pause();
        }
        amount = bound(amount, 1, balance);
        uint256 before = btt.balanceOf(a);
        vm.prank(a);
        try vault.withdraw(amount) {
            if (btt.balanceOf(a) != before + amount) withdrawFailed = true;
        } catch {
            withdrawFailed = true;
        }
    }

    /// Owner action (E3): retires, or authorises again, the storage market, the Speed market or the
    /// registry in the vault, or the storage market in the registry.
    function toggleMarket(uint256 which) external {
        which %= 4;
        if (which == 3) {
            bool wired = registry.isMarket(address(market));
            vm.prank(registry.owner());
            registry.setMarket(address(market), !wired);
            return;
        }
        address m =
            which == 0
                ? address(market)
                : which == 1
                    ? address(speed)
                    : address(registry);
        bool active = vault.isMarket(m);
        vm.prank(vault.owner());
        vault.setMarket(m, !active);
    }

    function togglePause() external {
        bool paused = vault.paused();
        vm.prank(pauser);
        if (paused) vault.unpause();
        else vault.pause();
    }

    /// Tokens sent straight to the vault: invariant 1 then holds with ">", never "<".
    function donate(uint256 amount) external {
        amount = bound(amount, 1, 1e18);
        btt.mint(address(vault), amount);
        donated += amount;
    }

    function createEscrow(uint256 who, uint256 amount, uint256 ttl) external {
        address payer = userAt(who % USERS);
        uint256 balance = vault.balanceOf(payer);
        if (balance == 0 || vault.paused()) return;
        amount = bound(amount, 1, balance > 1e21 ? 1e21 : balance);
        vm.prank(payer);
        uint256 id = vault.createEscrow(
            userAt((who + 1) % USERS),
            userAt((who + 2) % USERS),
            uint64(block.timestamp + bound(ttl, 1, 3 days)),
            amount
        );
        escrowIds.push(id);
        escrowFunded[id] = amount;
    }

    function settleEscrow(uint256 which, uint256 amount, uint8 how) external {
        if (escrowIds.length == 0) return;
        uint256 id = escrowIds[which % escrowIds.length];
        IEscrowVault.Escrow memory e = vault.escrow(id);
        if (e.amount == 0) return;
        if (how % 3 == 0) {
            amount = bound(amount, 1, e.amount);
            vm.prank(e.payer);
            vault.releaseEscrow(id, amount);
            escrowPaid[id] += amount;
        } else if (how % 3 == 1) {
            if (block.timestamp <= e.deadline) vm.warp(uint256(e.deadline) + 1);
            vm.prank(e.payer);
            vault.reclaimEscrow(id);
            escrowPaid[id] += e.amount;
        } else {
            vm.prank(e.arbiter);
            vault.resolveEscrow(id, bound(amount, 0, e.amount));
            escrowPaid[id] += e.amount;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Registry actions
    // ---------------------------------------------------------------------------------------

    function stake(uint256 who, uint256 amount) external {
        address h = hostAt(who % HOSTS);
        uint256 balance = vault.balanceOf(h);
        if (balance == 0 || vault.paused()) return;
        amount = bound(amount, 1, balance);
        vm.prank(h);
        registry.stake(amount);
        staked[h] += amount;
    }

    function unbond(uint256 who, uint256 amount) external {
        address h = hostAt(who % HOSTS);
        uint256 free = registry.freeStakeOf(h);
        if (free == 0) return;
        vm.prank(h);
        registry.requestUnbonding(bound(amount, 1, free));
    }

    function cancelUnbonding(uint256 who) external {
        address h = hostAt(who % HOSTS);
        if (registry.stakeOf(h).unbonding == 0) return;
        vm.prank(h);
        registry.cancelUnbonding();
    }

    function withdrawUnbonded(uint256 who) external {
        address h = hostAt(who % HOSTS);
        IHostRegistry.StakeInfo memory s = registry.stakeOf(h);
        if (s.unbonding == 0) return;
        if (block.timestamp < s.unbondingReadyAt) vm.warp(s.unbondingReadyAt);
        vm.prank(h);
        registry.withdrawUnbonded();
        withdrawn[h] += s.unbonding;
    }

    // ---------------------------------------------------------------------------------------
    // Storage actions
    // ---------------------------------------------------------------------------------------

    function openDeal(uint256 who, uint256 hostSeed, uint256 price) external {
        if (_deals.length >= 6) return;
        address tenant = userAt(who % USERS);
        uint256 h0 = hostSeed % HOSTS;
        uint256 h1 = (h0 + 1 + ((hostSeed >> 8) % (HOSTS - 1))) % HOSTS;
        price = bound(price, 1, 5e18);
        DealState storage d = _deals.push();
        d.salt = bytes32(_deals.length);
        d.id = market.dealIdOf(tenant, d.salt);
        for (uint256 i; i < 2; ++i) {
            d.data[i] = keccak256(abi.encode("shard", _deals.length, i));
            d.roots[i] = keccak256(abi.encodePacked(bytes1(0x00), d.data[i]));
        }
        IStorageMarket.Offer[] memory offers = new IStorageMarket.Offer[](2);
        offers[0] = _offer(d, 0, 0, h0, price, COLLATERAL);
        offers[1] = _offer(d, 1, 0, h1, price, COLLATERAL);
        bytes32[] memory roots = new bytes32[](2);
        (roots[0], roots[1]) = (d.roots[0], d.roots[1]);
        vm.recordLogs();
        vm.prank(tenant);
        try market.openDeal(_params(d), roots, offers) {
            d.initialEscrow = market.deal(d.id).escrow;
            _capture(d);
        } catch {
            _deals.pop();
        }
    }

    function openChallenge(uint256 which) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        IStorageMarket.DealView memory v = market.deal(d.id);
        if (v.status != 1 || v.settledPeriods >= v.periods) return;
        uint256 startsAt = v.start + uint256(v.settledPeriods) * PERIOD;
        if (block.timestamp < startsAt) vm.warp(startsAt);
        try market.openChallenge(d.id) {
            uint256[] memory r = _current(d);
            for (uint256 i; i < 2; ++i) {
                uint256 w0 = r[2 * i];
                if (w0.flags() & ShardRecords.FLAG_LOST == 0) _heldAtOpen[d.id][i] = w0.host();
            }
        } catch {}
    }

    function drawSeed(uint256 which, uint256 blocks) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        vm.roll(block.number + bound(blocks, 1, 300));
        try market.drawSeed(d.id) {} catch {}
    }

    function prove(uint256 which, uint256 mask, bool alsoWrong) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        uint256[] memory r = _current(d);
        for (uint256 i; i < 2; ++i) {
            if ((mask >> i) & 1 == 0 || r[2 * i].host() == lazyHost()) continue;
            bytes32[] memory path = new bytes32[](1);
            path[0] = d.roots[1 - i];
            bytes memory segment = abi.encodePacked(d.data[i]);
            if (alsoWrong) {
                try market.submitProof(d.id, i, d.roots[i], path, abi.encodePacked(d.data[1 - i]), new bytes32[](0)) {
                    wrongProofAccepted = true;
                } catch {}
                try market.submitProof(d.id, i, d.roots[1 - i], path, segment, new bytes32[](0)) {
                    wrongProofAccepted = true;
                } catch {}
            }
            try market.submitProof(d.id, i, d.roots[i], path, segment, new bytes32[](0)) {} catch {}
        }
    }

    function settle(uint256 which) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        IStorageMarket.ChallengeView memory c = market.challenge(d.id);
        if (c.state != 2 || market.deal(d.id).status != 1) return;
        if (block.timestamp <= c.deadline) vm.warp(uint256(c.deadline) + 1);
        uint256 before = market.deal(d.id).settledPeriods;
        vm.recordLogs();
        try market.settle(d.id, d.records) {
            _capture(d);
            d.settlements++;
            for (uint256 i; i < 2; ++i) {
                if (_heldAtOpen[d.id][i] == lazyHost()) ++lazyExposure;
                delete _heldAtOpen[d.id][i];
            }
            if (market.deal(d.id).settledPeriods != before + 1) settledTwice = true;
            try market.settle(d.id, d.records) {
                settledTwice = true;
            } catch {}
        } catch (bytes memory reason) {
            _noteFrozen(reason, "settle");
        }
    }

    function claimStorage(uint256 which, uint256 mask) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        vm.recordLogs();
        try IStorageHosting(address(market)).claim(d.id, d.records, mask) {
            _capture(d);
        } catch (bytes memory reason) {
            _noteFrozen(reason, "claim");
        }
    }

    function handOver(uint256 which, uint256 shard, uint256 hostSeed) external {
        DealState storage d = _pick(which);
        if (d.id == 0 || d.records.length == 0) return;
        shard = shard % 2;
        uint256 w0 = _current(d)[2 * shard];
        IStorageMarket.Offer memory offer = _nextOffer(d, shard, hostSeed, 0);
        bytes32[] memory path = _path(d, shard);
        vm.recordLogs();
        if (w0.flags() & ShardRecords.FLAG_LOST != 0) {
            IStorageMarketTypes.RepairAuth memory none;
            vm.prank(market.deal(d.id).tenant);
            try
                IStorageHosting(address(market)).repairShard(d.id, d.records, shard, d.roots[shard], path, offer, none)
            {
                _capture(d);
            } catch (bytes memory reason) {
                _noteFrozen(reason, "repairShard");
            }
        } else {
            vm.prank(w0.host());
            try IStorageHosting(address(market)).exitShard(d.id, d.records, shard, d.roots[shard], path, offer) {
                _capture(d);
            } catch (bytes memory reason) {
                _noteFrozen(reason, "exitShard");
            }
        }
    }

    function finalize(uint256 which) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        vm.recordLogs();
        try market.finalizeDeal(d.id, d.records) {
            _capture(d);
        } catch (bytes memory reason) {
            _noteFrozen(reason, "finalizeDeal");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Speed actions
    // ---------------------------------------------------------------------------------------

    function openBid(uint256 who, uint256 price, uint256 budget, uint256 ttl) external {
        if (bidIds.length >= 8 || vault.paused()) return;
        address downloader = userAt(who % USERS);
        uint256 balance = vault.balanceOf(downloader);
        if (balance == 0) return;
        budget = bound(budget, 1, balance > 1e21 ? 1e21 : balance);
        price = bound(price, 1, 1e18);
        vm.prank(downloader);
        uint256 id = speed.openBid(V2, 2, price, budget, block.timestamp + bound(ttl, 1, 3 days), 1 hours);
        bidIds.push(id);
        bidFunded[id] = budget;
    }

    function topUp(uint256 which, uint256 amount) external {
        if (bidIds.length == 0) return;
        uint256 id = bidIds[which % bidIds.length];
        ISpeedMarket.Bid memory b = speed.bid(id);
        uint256 balance = vault.balanceOf(b.downloader);
        if (balance == 0) return;
        amount = bound(amount, 1, balance > 1e20 ? 1e20 : balance);
        vm.prank(b.downloader);
        try speed.topUp(id, amount) {
            bidFunded[id] += amount;
        } catch {}
    }

    /// Invariant 3: a receipt pays at most once; redeemed amounts per seeder only grow.
    function redeem(uint256 which, uint256 seederSeed, uint256 mib, uint256 extra, bool batch) external {
        if (bidIds.length == 0) return;
        uint256 id = bidIds[which % bidIds.length];
        ISpeedMarket.Bid memory b = speed.bid(id);
        address seeder = userAt(seederSeed % USERS);
        uint256 bytes_ = bound(mib, 0, 64) * (1 << 20) + bound(extra, 1, 1 << 20);
        ISpeedMarket.PackedReceipt memory r = _receipt(_keyOf(b.downloader), id, seeder, bytes_);
        if (batch) {
            ISpeedMarket.PackedReceipt[] memory rs = new ISpeedMarket.PackedReceipt[](2);
            (rs[0], rs[1]) = (r, r);
            speed.redeemBatch(rs);
        } else {
            try speed.redeem(r) {} catch (bytes memory reason) {
                _noteFrozen(reason, "redeem");
            }
        }
        // The same receipt again pays nothing, batched or not.
        uint256 paidBefore = speed.earning(id, seeder).paid;
        ISpeedMarket.PackedReceipt[] memory again = new ISpeedMarket.PackedReceipt[](1);
        again[0] = r;
        if (speed.redeemBatch(again) != 0 || speed.earning(id, seeder).paid != paidBefore) receiptPaidTwice = true;
        _checkGrowth(id, seeder);
    }

    function payOwed(uint256 which, uint256 seederSeed) external {
        if (bidIds.length == 0) return;
        uint256 id = bidIds[which % bidIds.length];
        address seeder = userAt(seederSeed % USERS);
        try speed.payOwed(id, seeder) {} catch (bytes memory reason) {
            _noteFrozen(reason, "payOwed");
        }
        _checkGrowth(id, seeder);
    }

    function claimSpeed(uint256 seederSeed) external {
        if (bidIds.length == 0) return;
        try speed.claim(userAt(seederSeed % USERS), bidIds) {} catch (bytes memory reason) {
            _noteFrozen(reason, "claim (Speed)");
        }
    }

    function closeOrRefund(uint256 which, uint256 wait) external {
        if (bidIds.length == 0) return;
        uint256 id = bidIds[which % bidIds.length];
        ISpeedMarket.Bid memory b = speed.bid(id);
        vm.warp(block.timestamp + bound(wait, 0, 2 days));
        uint256 remaining = b.remaining;
        vm.prank(b.downloader);
        try speed.closeBid(id) {} catch (bytes memory closeReason) {
            _noteFrozen(closeReason, "closeBid");
            try speed.refundBid(id) {} catch (bytes memory reason) {
                _noteFrozen(reason, "refundBid");
            }
        }
        if (speed.bid(id).refunded && !b.refunded) bidRefunded[id] = remaining;
    }

    function pruneBids(uint256 steps) external {
        speed.pruneBids(V2, 2, bound(steps, 0, 10));
    }

    /// @dev Anyone exits any shard to any host, the leaving host itself included.
    function exitAs(uint256 which, uint256 shard, uint256 actor, uint256 hostSeed) external {
        DealState storage d = _pick(which);
        if (d.id == 0 || d.records.length == 0) return;
        shard = shard % 2;
        uint256 w0 = _current(d)[2 * shard];
        // Half the time the caller is the shard's own host, acting against its own record.
        address caller = actor % 2 == 0 ? w0.host() : actorAt(actor >> 1);
        IStorageMarket.Offer memory offer = _nextOffer(d, shard, hostSeed, 0);
        vm.recordLogs();
        vm.prank(caller);
        try IStorageHosting(address(market)).exitShard(d.id, d.records, shard, d.roots[shard], _path(d, shard), offer) {
            _capture(d);
        } catch (bytes memory reason) {
            _noteFrozen(reason, "exitShard");
        }
    }

    /// @dev Anyone repairs a lost shard to any host, the host that lost it included.
    function repairAs(uint256 which, uint256 shard, uint256 actor, uint256 hostSeed, uint256 collateral) external {
        DealState storage d = _pick(which);
        if (d.id == 0 || d.records.length == 0) return;
        shard = shard % 2;
        uint256[] memory before = _current(d);
        // Aim at a lost shard if there is one (repairs of live shards only revert).
        if (before[2 * shard].flags() & ShardRecords.FLAG_LOST == 0) shard = 1 - shard;
        address caller = actorAt(actor);
        IStorageMarket.Offer memory offer = _nextOffer(d, shard, hostSeed, collateral);
        vm.recordLogs();
        vm.prank(caller);
        try
            IStorageHosting(address(market)).repairShard(
                d.id,
                d.records,
                shard,
                d.roots[shard],
                _path(d, shard),
                offer,
                _auths[d.id][caller]
            )
        {
            _checkRepair(d, before, shard, caller, offer);
            _capture(d);
        } catch (bytes memory reason) {
            _noteFrozen(reason, "repairShard");
        }
    }

    /// @dev The tenant authorises anyone to choose repair hosts for a deal (E4's other legal path).
    function authorizeRepairer(uint256 which, uint256 actor) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        address repairer = actorAt(actor);
        address tenant = market.deal(d.id).tenant;
        uint48 expiry = uint48(block.timestamp + 30 days);
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                market.domainSeparator(),
                keccak256(abi.encode(REPAIR_TYPEHASH, d.id, repairer, expiry))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_keyOf(tenant), digest);
        _auths[d.id][repairer] = IStorageMarketTypes.RepairAuth(
            expiry,
            r,
            bytes32(uint256(s) | (uint256(v - 27) << 255))
        );
    }

    /// @dev E4 after a repair went through (`before`: the current records before it).
    function _checkRepair(
        DealState storage d,
        uint256[] memory before,
        uint256 shard,
        address caller,
        IStorageMarket.Offer memory offer
    ) private {
        address newHost = address(uint160(offer.hostExpiryNonce));
        if (caller != market.deal(d.id).tenant && _auths[d.id][caller].expiry == 0) {
            _violation("E4: a stranger chose the repair host");
        }
        if (newHost == before[2 * shard].host()) _violation("E4: the host that lost the shard repaired it");
        uint256 other = before[2 * (1 - shard)];
        if (other.flags() & ShardRecords.FLAG_LOST == 0 && newHost == other.host()) {
            _violation("E4: a host of another live shard repaired it");
        }
        if (offer.terms >> 128 < before[2 * shard + 1].collateral()) {
            _violation("E4: the repair host locked less than the lost host");
        }
    }

    /// @dev An offer for the shard's next generation from host `hostSeed`, at the shard's price and
    /// `collateral` (0: the standard collateral; otherwise any amount up to twice it).
    function _nextOffer(
        DealState storage d,
        uint256 shard,
        uint256 hostSeed,
        uint256 collateral
    ) private view returns (IStorageMarket.Offer memory) {
        uint256[] memory r = _current(d);
        collateral = collateral == 0 ? COLLATERAL : bound(collateral, 0, 2 * COLLATERAL);
        return _offer(d, shard, r[2 * shard].generation() + 1, hostSeed % HOSTS, r[2 * shard + 1].price(), collateral);
    }

    /// @dev The deal's current records (ShardRecords layout), from the market's view.
    function _current(DealState storage d) private view returns (uint256[] memory) {
        return IStorageHosting(address(market)).shardRecords(d.id, d.records);
    }

    /// @dev A whole period in one step (open, draw, prove `mask`, settle), so that sequences reach
    /// lost shards and repairs within the depth.
    function runPeriod(uint256 which, uint256 mask) external {
        this.openChallenge(which);
        this.drawSeed(which, 3);
        this.prove(which, mask, false);
        this.settle(which);
    }

    /// @dev Anyone claims for any set of shards.
    function claimAs(uint256 which, uint256 mask, uint256 actor) external {
        DealState storage d = _pick(which);
        if (d.id == 0) return;
        vm.recordLogs();
        vm.prank(actorAt(actor));
        try IStorageHosting(address(market)).claim(d.id, d.records, mask) {
            _capture(d);
        } catch (bytes memory reason) {
            _noteFrozen(reason, "claim");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    /// @dev E3: a settling call (settle, claim, exit, repair, finalize, redeem, pay, close,
    /// refund) must never fail because an owner retired a market; new commitments may.
    function _noteFrozen(bytes memory reason, string memory call) internal {
        if (reason.length < 4) return;
        bytes4 selector = bytes4(reason);
        if (selector == IEscrowVault.VaultNotMarket.selector || selector == IHostRegistry.RegistryNotMarket.selector) {
            frozenCall = call;
        }
    }

    function _violation(string memory what) private {
        repairNotTenants = true;
        lastViolation = what;
    }

    function _path(DealState storage d, uint256 shard) private view returns (bytes32[] memory path) {
        path = new bytes32[](1);
        path[0] = d.roots[1 - shard];
    }

    function _pick(uint256 which) private view returns (DealState storage d) {
        if (_deals.length == 0) return _none;
        return _deals[which % _deals.length];
    }

    function _params(DealState storage d) private view returns (IStorageMarketTypes.DealParams memory) {
        return IStorageMarketTypes.DealParams(d.salt, 32, 32, 3, uint32(PERIOD), 1, 1);
    }

    function _offer(
        DealState storage d,
        uint256 shard,
        uint256 generation,
        uint256 hostIndex,
        uint256 price,
        uint256 collateral
    ) private view returns (IStorageMarket.Offer memory o) {
        address host = hostAt(hostIndex);
        uint256 expiry = block.timestamp + 1 hours;
        bytes memory head = abi.encode(OFFER_TYPEHASH, d.id, shard, generation, host, d.roots[shard], uint256(32));
        bytes memory tail = abi.encode(uint256(32), uint256(3), PERIOD, uint256(1), price, collateral, expiry, 0);
        bytes32 digest = keccak256(
            abi.encodePacked("\x19\x01", market.domainSeparator(), keccak256(bytes.concat(head, tail)))
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_hostKeys[hostIndex], digest);
        o.hostExpiryNonce = uint256(uint160(host)) | (expiry << 160);
        o.terms = price | (collateral << 128);
        o.r = r;
        o.vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
    }

    function _keyOf(address a) private view returns (uint256) {
        for (uint256 i; i < USERS; ++i) {
            if (userAt(i) == a) return _userKeys[i];
        }
        revert UnknownDownloader(a);
    }

    function _receipt(
        uint256 key,
        uint256 bidId,
        address seeder,
        uint256 bytes_
    ) private view returns (ISpeedMarket.PackedReceipt memory r) {
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(key, speed.receiptDigest(bidId, seeder, bytes_));
        r.key = speed.packReceiptKey(bidId, seeder, bytes_);
        r.r = rr;
        r.vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
    }

    function _checkGrowth(uint256 bidId, address seeder) private {
        bytes32 k = keccak256(abi.encode(bidId, seeder));
        ISpeedMarket.Earning memory e = speed.earning(bidId, seeder);
        if (e.cumulativeBytes < _lastBytes[k] || e.paid < _lastPaid[k]) redeemedShrank = true;
        (_lastBytes[k], _lastPaid[k]) = (e.cumulativeBytes, e.paid);
    }

    /// @dev Reads ShardsUpdated, HostPaid, CollateralReleased and TrackRecordUpdated.
    function _capture(DealState storage d) private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 lastSlash;
        uint256 lastUnlock;
        for (uint256 i; i < logs.length; ++i) {
            bytes32 topic = logs[i].topics[0];
            if (topic == IStorageMarketTypes.ShardsUpdated.selector) {
                d.records = abi.decode(logs[i].data, (uint256[]));
            } else if (topic == IStorageMarketTypes.HostPaid.selector) {
                uint256 amount = abi.decode(logs[i].data, (uint256));
                d.paid += amount;
                if (address(uint160(uint256(logs[i].topics[2]))) == lazyHost()) lazyPaid += amount;
            } else if (topic == IStorageMarketTypes.RepairBountyPaid.selector) {
                if (address(uint160(uint256(logs[i].topics[3]))) == lazyHost()) {
                    lazyPaid += abi.decode(logs[i].data, (uint256));
                }
            } else if (topic == IHostRegistry.CollateralReleased.selector) {
                address host = address(uint160(uint256(logs[i].topics[1])));
                (lastUnlock, lastSlash) = abi.decode(logs[i].data, (uint256, uint256));
                slashed[host] += lastSlash;
            } else if (topic == IHostRegistry.TrackRecordUpdated.selector) {
                // Invariant 4: a slash is exactly the missed challenges' rate, capped at the collateral.
                (, uint256 missed, ) = abi.decode(logs[i].data, (uint256, uint256, bool));
                uint256 expected = missed * ((lastUnlock * SLASH_BPS) / 10_000);
                if (expected > lastUnlock) expected = lastUnlock;
                if (lastSlash != expected) unjustifiedSlash = true;
                (lastSlash, lastUnlock) = (0, 0);
            }
        }
    }
}

/// @notice DESIGN.md's invariants 1-6 over random multi-actor sequences across the vault, the
/// registry, the storage market and the Speed market together. Runs and depth come from the
/// Hardhat test profile (`default` in CI, `deep` for `npm run test:deep`; see hardhat.config.ts).
contract SystemInvariants is Test {
    using ShardRecords for uint256;

    SystemHandler internal handler;
    TestBTT internal btt;
    EscrowVault internal vault;
    HostRegistry internal registry;
    StorageMarket internal market;
    SpeedMarket internal speed;

    function setUp() public {
        btt = new TestBTT(address(this));
        vault = new EscrowVault(address(btt), address(this));
        registry = new HostRegistry(address(vault), address(this), 1 days);
        market = new StorageMarket(
            address(vault),
            address(registry),
            IStorageMarketTypes.Config(1 hours, 2, 2, 2_000, 2_500, 5_000)
        );
        speed = new SpeedMarket(address(vault), address(this), 1 hours, 1 days);
        vault.setMarket(address(registry), true);
        vault.setMarket(address(market), true);
        vault.setMarket(address(speed), true);
        registry.setMarket(address(market), true);
        vault.setPauser(address(0xFA05E), true);
        // The handler mints (deposits and donations), so it owns the token from its deployment.
        btt.transferOwnership(vm.computeCreateAddress(address(this), vm.getNonce(address(this))));
        handler = new SystemHandler(btt, vault, registry, market, speed);
        targetContract(address(handler));
    }

    /// @dev The handler is not vacuous: a fixed walk through it opens, challenges, proves,
    /// settles, hands over and finalises deals, and opens, redeems, claims and refunds bids.
    function test_handlerWalkReachesEveryFlow() public {
        handler.openDeal(0, 0, 1e18);
        handler.openDeal(1, 7, 2e18);
        handler.openBid(2, 1e15, 5e18, 1 days);
        handler.createEscrow(3, 1e18, 1 hours);
        assertEq(handler.dealCount(), 2);
        assertEq(handler.bidCount(), 1);
        for (uint256 period; period < 3; ++period) {
            handler.openChallenge(0);
            handler.openChallenge(1);
            handler.drawSeed(0, 3);
            handler.drawSeed(1, 1);
            handler.prove(0, 3, true);
            handler.prove(1, period == 0 ? 0 : 1, false);
            handler.settle(0);
            handler.settle(1);
            handler.redeem(0, period, period + 1, 7, period % 2 == 0);
        }
        (uint256 id0, , , uint256 settled0) = handler.dealGhost(0);
        assertEq(settled0, 3);
        assertEq(market.deal(id0).settledPeriods, 3);
        handler.claimStorage(1, 3);
        handler.handOver(1, 1, 4);
        handler.finalize(0);
        assertEq(market.deal(id0).status, 2);
        handler.claimSpeed(0);
        handler.payOwed(0, 1);
        handler.closeOrRefund(0, 0);
        handler.closeOrRefund(0, 2 days);
        assertTrue(speed.bid(handler.bidIds(0)).refunded);
        handler.settleEscrow(0, 1, 2);
        handler.unbond(0, 1e18);
        handler.withdrawUnbonded(0);
        handler.togglePause();
        handler.withdraw(2, 1e18, true);
        handler.donate(5);
        invariant_1_vaultTokensEqualInternalAccounts();
        invariant_1_poolsEqualSubAccounts();
        invariant_2_nothingPaysMoreThanItHolds();
        invariant_3_receiptsPayOnceAndOnlyGrow();
        invariant_4_stakeFallsOnlyByWithdrawalOrJustifiedSlash();
        invariant_5_challengesSettledOnceAgainstCommittedRoots();
        invariant_6_freeBalancesAlwaysWithdrawable();
    }

    /// @dev The adversarial actions are not vacuous: a stranger's repair is refused until the
    /// tenant authorises it; the lazy host cannot exit to itself, and exiting to another host
    /// mid-challenge charges it the miss.
    function test_adversarialWalkReachesRepairsAndExits() public {
        handler.openDeal(0, 1, 1e18); // hosts 1 and 2
        handler.runPeriod(0, 2);
        handler.runPeriod(0, 2); // shard 0 missed twice: lost
        assertTrue(handler.currentRecords(0)[0].flags() & ShardRecords.FLAG_LOST != 0);
        handler.repairAs(0, 0, 9, 3, 0); // actor 9: the stranger, not authorised
        assertTrue(handler.currentRecords(0)[0].flags() & ShardRecords.FLAG_LOST != 0);
        handler.authorizeRepairer(0, 9);
        handler.repairAs(0, 0, 9, 3, 0);
        assertEq(handler.currentRecords(0)[0].host(), handler.hostAt(3));
        invariant_E4_onlyTheTenantChoosesRepairs();

        handler.openDeal(1, 0, 1e18); // the lazy host 0 holds shard 0
        handler.openChallenge(1);
        handler.drawSeed(1, 3);
        handler.exitAs(1, 0, 0, 0); // to itself: refused
        assertEq(handler.currentRecords(1)[0].host(), handler.lazyHost());
        handler.exitAs(1, 0, 0, 4); // to host 4 while unproven: charged the miss
        assertEq(handler.currentRecords(1)[0].host(), handler.hostAt(4));
        assertEq(registry.trackRecordOf(handler.lazyHost()).proofsMissed, 1);
        handler.settle(1);
        invariant_E1_paidOnlyForOwnProofs();
        invariant_E2_neverProvingIsCharged();
    }

    /// @dev E3: no owner action (retiring a market in the vault or the registry, pausing) makes a
    /// settling call revert for want of an active market.
    function invariant_E3_ownerActionsFreezeNothing() public view {
        assertEq(handler.frozenCall(), "", "a settling call reverted because a market was retired");
    }

    /// @dev E3 is not vacuous: with every market retired mid-deal and mid-bid, a lost shard is
    /// slashed and repaired, the deal finalises, and the bid redeems, closes and refunds.
    function test_retiredMarketsStillSettle() public {
        handler.openDeal(0, 1, 1e18); // hosts 1 and 2
        handler.openBid(2, 1e15, 5e18, 1 days);
        for (uint256 which; which < 4; ++which) handler.toggleMarket(which);
        assertFalse(vault.isMarket(address(market)) || vault.isMarket(address(speed)));
        assertFalse(vault.isMarket(address(registry)) || registry.isMarket(address(market)));
        handler.runPeriod(0, 2);
        handler.runPeriod(0, 2); // shard 0 missed twice: lost, its host slashed
        assertTrue(handler.currentRecords(0)[0].flags() & ShardRecords.FLAG_LOST != 0);
        handler.handOver(0, 0, 3); // the tenant repairs onto host 3
        assertEq(handler.currentRecords(0)[0].host(), handler.hostAt(3));
        handler.redeem(0, 1, 2, 7, false);
        handler.claimSpeed(1);
        handler.runPeriod(0, 3); // the last of 3 periods, both shards proven
        handler.finalize(0);
        (uint256 id0, , , ) = handler.dealGhost(0);
        assertEq(market.deal(id0).status, 2);
        handler.closeOrRefund(0, 0);
        handler.closeOrRefund(0, 2 days);
        assertTrue(speed.bid(handler.bidIds(0)).refunded);
        invariant_E3_ownerActionsFreezeNothing();
        invariant_1_vaultTokensEqualInternalAccounts();
        invariant_1_poolsEqualSubAccounts();
        invariant_4_stakeFallsOnlyByWithdrawalOrJustifiedSlash();
    }

    /// @dev Invariant 1: the vault's tokens are the free balances, the three market pools and the
    /// escrows, plus exactly what was sent to it directly.
    function invariant_1_vaultTokensEqualInternalAccounts() public view {
        address[] memory a = handler.accounts();
        uint256 total = vault.heldBy(address(registry)) + vault.heldBy(address(market)) + vault.heldBy(address(speed));
        for (uint256 i; i < a.length; ++i) total += vault.balanceOf(a[i]);
        for (uint256 i; i < handler.escrowCount(); ++i) total += vault.escrow(handler.escrowIds(i)).amount;
        assertEq(btt.balanceOf(address(vault)), total + handler.donated());
        assertGe(btt.balanceOf(address(vault)), total);
    }

    /// @dev Invariant 1, inside each market's pool: the pool is its sub-accounts, no more, no less.
    function invariant_1_poolsEqualSubAccounts() public view {
        // Registry: every host's stake (bonded, locked and unbonding).
        uint256 stakes;
        address[] memory a = handler.accounts();
        for (uint256 i; i < a.length; ++i) stakes += registry.stakeOf(a[i]).stake;
        assertEq(vault.heldBy(address(registry)), stakes);
        // Storage: the escrow of every active deal and the repair bounties.
        uint256 owedByDeals;
        for (uint256 i; i < handler.dealCount(); ++i) {
            (uint256 id, , , ) = handler.dealGhost(i);
            if (id == 0) continue;
            owedByDeals += market.deal(id).escrow + market.repairBounty(id, 0) + market.repairBounty(id, 1);
        }
        assertEq(vault.heldBy(address(market)), owedByDeals);
        // Speed: every bid's unpaid budget and every seeder's unclaimed earnings.
        uint256 owedByBids;
        for (uint256 i; i < handler.bidCount(); ++i) {
            uint256 id = handler.bidIds(i);
            owedByBids += speed.bid(id).remaining;
            for (uint256 j; j < 4; ++j) owedByBids += speed.earning(id, a[j]).unclaimed;
        }
        assertEq(vault.heldBy(address(speed)), owedByBids);
    }

    /// @dev Invariant 2: no deal, bid or escrow pays out more than it holds.
    function invariant_2_nothingPaysMoreThanItHolds() public view {
        for (uint256 i; i < handler.dealCount(); ++i) {
            (uint256 id, uint256 initialEscrow, uint256 paid, ) = handler.dealGhost(i);
            if (id == 0) continue;
            assertLe(paid, initialEscrow);
            IStorageMarket.DealView memory d = market.deal(id);
            if (d.status == 1) assertEq(paid + d.escrow, initialEscrow);
        }
        address[] memory a = handler.accounts();
        for (uint256 i; i < handler.bidCount(); ++i) {
            uint256 id = handler.bidIds(i);
            uint256 paid;
            for (uint256 j; j < 4; ++j) paid += speed.earning(id, a[j]).paid;
            assertEq(paid + speed.bid(id).remaining + handler.bidRefunded(id), handler.bidFunded(id));
        }
        for (uint256 i; i < handler.escrowCount(); ++i) {
            uint256 id = handler.escrowIds(i);
            assertEq(handler.escrowPaid(id) + vault.escrow(id).amount, handler.escrowFunded(id));
        }
    }

    /// @dev Invariant 3: redeemed amounts only grow; no receipt pays twice.
    function invariant_3_receiptsPayOnceAndOnlyGrow() public view {
        assertFalse(handler.receiptPaidTwice());
        assertFalse(handler.redeemedShrank());
    }

    /// @dev Invariant 4: stake falls only by unbonded withdrawals and slashes for missed challenges.
    function invariant_4_stakeFallsOnlyByWithdrawalOrJustifiedSlash() public view {
        assertFalse(handler.unjustifiedSlash());
        for (uint256 i; i < 5; ++i) {
            address h = handler.hostAt(i);
            assertEq(registry.stakeOf(h).stake, handler.staked(h) - handler.withdrawn(h) - handler.slashed(h));
        }
    }

    /// @dev Invariant 5: each challenge is settled once, against the roots committed at opening.
    function invariant_5_challengesSettledOnceAgainstCommittedRoots() public view {
        assertFalse(handler.settledTwice());
        assertFalse(handler.wrongProofAccepted());
        for (uint256 i; i < handler.dealCount(); ++i) {
            (uint256 id, , , uint256 settlements) = handler.dealGhost(i);
            if (id != 0) assertEq(market.deal(id).settledPeriods, settlements);
        }
    }

    /// @dev E1: a host is paid for a period only if its own proof landed in it. The lazy host
    /// never proves: it is never paid, and its track record never shows a pass.
    function invariant_E1_paidOnlyForOwnProofs() public view {
        assertEq(handler.lazyPaid(), 0, "E1: the lazy host was paid");
        assertEq(registry.trackRecordOf(handler.lazyHost()).proofsPassed, 0, "E1: the lazy host passed");
    }

    /// @dev E2: a host that never proves is charged a miss for every challenge it held a shard
    /// through, whatever exits, repairs, claims and settles anyone called.
    function invariant_E2_neverProvingIsCharged() public view {
        assertGe(handler.lazyMisses(), handler.lazyExposure(), "E2: the lazy host escaped a miss");
    }

    /// @dev E4: only the tenant decides who takes over a lost shard, never the host that lost it
    /// nor a host of another live shard of the deal.
    function invariant_E4_onlyTheTenantChoosesRepairs() public view {
        assertFalse(handler.repairNotTenants(), handler.lastViolation());
    }

    /// @dev Invariant 6: every withdrawal of a free balance went through, paused or not.
    function invariant_6_freeBalancesAlwaysWithdrawable() public view {
        assertFalse(handler.withdrawFailed());
    }
}
