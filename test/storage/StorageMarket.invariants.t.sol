// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {EscrowVault} from "../../contracts/vault/EscrowVault.sol";
import {HostRegistry} from "../../contracts/hosts/HostRegistry.sol";
import {IHostRegistry} from "../../contracts/interfaces/IHostRegistry.sol";
import {IStorageHosting} from "../../contracts/interfaces/IStorageHosting.sol";
import {IStorageMarket, IStorageMarketTypes} from "../../contracts/interfaces/IStorageMarket.sol";
import {StorageMarket} from "../../contracts/storage/StorageMarket.sol";
import {ShardRecords} from "../../contracts/libraries/ShardRecords.sol";
import {TestBTT} from "../../contracts/mocks/TestBTT.sol";

/// @dev Drives one deal (6 single-segment shards, 3 needed, 8 periods) and 8 hosts with random
/// actions, and keeps ghost totals: escrow paid out, stake withdrawn, slashes and their causes,
/// settlements, and any wrong proof that was accepted.
contract StorageHandler is Test {
    using ShardRecords for uint256;

    uint256 internal constant SHARDS = 6;
    uint256 internal constant HOSTS = 8;
    uint256 internal constant PERIOD = 1 days;
    uint256 internal constant COLLATERAL = 40e18;
    uint256 internal constant SLASH_BPS = 2_500;
    bytes32 internal constant OFFER_TYPEHASH = keccak256(
        "StorageOffer(uint256 dealId,uint32 shardIndex,uint32 generation,address host,bytes32 shardRoot,"
        "uint64 shardSize,uint32 segmentSize,uint16 periods,uint32 periodLength,uint8 segmentsPerPeriod,"
        "uint128 price,uint128 collateral,uint48 expiry,uint24 nonce)"
    );

    TestBTT public immutable btt;
    EscrowVault public immutable vault;
    HostRegistry public immutable registry;
    StorageMarket public immutable market;
    address public immutable tenant = address(0x7E);
    uint256 public dealId;
    uint256 public initialEscrow;
    uint256[] public hostKeys;
    bytes32[] internal _roots;
    bytes[] internal _data;
    /// @dev The opening records (what every call takes); `_current()` gives the current ones.
    uint256[] internal _records;
    IStorageMarket.DealParams internal _params;

    // Ghosts.
    uint256 public paidFromEscrow;
    uint256 public settlements;
    bool public wrongProofAccepted;
    bool public unjustifiedSlash;
    bool public settledTwice;
    mapping(address => uint256) public staked;
    mapping(address => uint256) public withdrawn;
    mapping(address => uint256) public slashed;

    constructor(TestBTT btt_, EscrowVault vault_, HostRegistry registry_, StorageMarket market_) {
        (btt, vault, registry, market) = (btt_, vault_, registry_, market_);
        for (uint256 i; i < HOSTS; ++i) {
            uint256 key = uint256(keccak256(abi.encode("host", i)));
            hostKeys.push(key);
            address h = vm.addr(key);
            btt.mint(h, 1_000e18);
            vm.startPrank(h);
            btt.approve(address(vault), type(uint256).max);
            vault.deposit(1_000e18);
            vault.setMarketApproval(address(registry), true);
            registry.setProfile(IHostRegistry.Profile(1 << 40, 1e18, 276, "h"));
            registry.stake(200e18);
            vm.stopPrank();
            staked[h] = 200e18;
        }
        btt.mint(tenant, 10_000e18);
        vm.startPrank(tenant);
        btt.approve(address(vault), type(uint256).max);
        vault.deposit(10_000e18);
        vault.setMarketApproval(address(market), true);
        vm.stopPrank();
        _params = IStorageMarketTypes.DealParams(bytes32("salt"), 32, 32, 8, uint32(PERIOD), 3, 1);
        dealId = market.dealIdOf(tenant, _params.salt);
        IStorageMarket.Offer[] memory offers = new IStorageMarket.Offer[](SHARDS);
        for (uint256 i; i < SHARDS; ++i) {
            _data.push(abi.encodePacked(keccak256(abi.encode("shard", i))));
            _roots.push(keccak256(abi.encodePacked(bytes1(0x00), _data[i])));
            offers[i] = _offer(i, 0, i, 1e18 + i);
        }
        vm.recordLogs();
        vm.prank(tenant);
        market.openDeal(_params, _roots, offers);
        _captureLogs();
        initialEscrow = market.deal(dealId).escrow;
    }

    // ---------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------

    function openChallenge() external {
        IStorageMarket.DealView memory d = market.deal(dealId);
        if (d.status != 1 || d.settledPeriods >= d.periods) return;
        uint256 startsAt = d.start + uint256(d.settledPeriods) * PERIOD;
        if (block.timestamp < startsAt) vm.warp(startsAt);
        try market.openChallenge(dealId) {} catch {}
    }

    function drawSeed(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 300));
        try market.drawSeed(dealId) {} catch {}
    }

    function prove(uint256 mask, bool alsoTryWrong) external {
        for (uint256 i; i < SHARDS; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            bytes32[] memory path = _rootPath(i);
            if (alsoTryWrong) {
                // Another shard's data, and this shard's data under another shard's root.
                try market.submitProof(dealId, i, _roots[i], path, _data[(i + 1) % SHARDS], new bytes32[](0)) {
                    wrongProofAccepted = true;
                } catch {}
                try market.submitProof(dealId, i, _roots[(i + 1) % SHARDS], path, _data[i], new bytes32[](0)) {
                    wrongProofAccepted = true;
                } catch {}
            }
            try market.submitProof(dealId, i, _roots[i], path, _data[i], new bytes32[](0)) {} catch {}
        }
    }

    function settle() external {
        IStorageMarket.ChallengeView memory c = market.challenge(dealId);
        if (c.state != 2) return;
        if (block.timestamp <= c.deadline) vm.warp(c.deadline + 1);
        uint256 before = market.deal(dealId).settledPeriods;
        vm.recordLogs();
        try market.settle(dealId, _records) {
            _captureLogs();
            settlements++;
            if (market.deal(dealId).settledPeriods != before + 1) settledTwice = true;
            // The same challenge can't be settled again.
            try market.settle(dealId, _records) {
                settledTwice = true;
            } catch {}
        } catch {}
    }

    function claim(uint256 mask) external {
        vm.recordLogs();
        try IStorageHosting(address(market)).claim(dealId, _records, mask) {
            _captureLogs();
        } catch {}
    }

    function repair(uint256 shard, uint256 hostSeed) external {
        shard = bound(shard, 0, SHARDS - 1);
        if (_records.length == 0 || _current()[2 * shard].flags() & ShardRecords.FLAG_LOST == 0) return;
        _handOver(shard, hostSeed, false);
    }

    function exit(uint256 shard, uint256 hostSeed) external {
        shard = bound(shard, 0, SHARDS - 1);
        if (_records.length == 0 || _current()[2 * shard].flags() & ShardRecords.FLAG_LOST != 0) return;
        _handOver(shard, hostSeed, true);
    }

    function finalize() external {
        vm.recordLogs();
        try market.finalizeDeal(dealId, _records) {
            _captureLogs();
        } catch {}
    }

    function unbond(uint256 hostSeed, uint256 amount) external {
        address h = vm.addr(hostKeys[hostSeed % HOSTS]);
        uint256 free = registry.freeStakeOf(h);
        if (free == 0) return;
        vm.prank(h);
        registry.requestUnbonding(bound(amount, 1, free));
    }

    function withdraw(uint256 hostSeed) external {
        address h = vm.addr(hostKeys[hostSeed % HOSTS]);
        IHostRegistry.StakeInfo memory s = registry.stakeOf(h);
        if (s.unbonding == 0) return;
        if (block.timestamp < s.unbondingReadyAt) vm.warp(s.unbondingReadyAt);
        vm.prank(h);
        registry.withdrawUnbonded();
        withdrawn[h] += s.unbonding;
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    function bountiesHeld() external view returns (uint256 total) {
        for (uint256 i; i < SHARDS; ++i) {
            total += market.repairBounty(dealId, i);
        }
    }

    function hostAt(uint256 i) external view returns (address) {
        return vm.addr(hostKeys[i]);
    }

    function _handOver(uint256 shard, uint256 hostSeed, bool isExit) private {
        uint256 hostIndex = hostSeed % HOSTS;
        uint256[] memory r = _current();
        uint256 generation = r[2 * shard].generation() + 1;
        IStorageMarket.Offer memory offer = _offer(shard, generation, hostIndex, r[2 * shard + 1].price());
        vm.recordLogs();
        if (isExit) vm.prank(r[2 * shard].host());
        try
            IStorageHosting(address(market)).exitShard(dealId, _records, shard, _roots[shard], _rootPath(shard), offer)
        {
            _captureLogs();
        } catch {
            if (isExit) return;
            IStorageMarketTypes.RepairAuth memory none;
            vm.prank(tenant);
            try
                IStorageHosting(address(market)).repairShard(
                    dealId,
                    _records,
                    shard,
                    _roots[shard],
                    _rootPath(shard),
                    offer,
                    none
                )
            {
                _captureLogs();
            } catch {}
        }
    }

    function _offer(
        uint256 shard,
        uint256 generation,
        uint256 hostIndex,
        uint256 price
    ) private view returns (IStorageMarket.Offer memory o) {
        address host = vm.addr(hostKeys[hostIndex]);
        uint256 expiry = block.timestamp + 1 hours;
        bytes memory head = abi.encode(
            OFFER_TYPEHASH,
            dealId,
            shard,
            generation,
            host,
            _roots[shard],
            _params.shardSize
        );
        bytes memory tail = abi.encode(
            _params.segmentSize,
            _params.periods,
            _params.periodLength,
            _params.segmentsPerPeriod,
            price,
            COLLATERAL,
            expiry,
            0
        );
        bytes32 digest = keccak256(
            abi.encodePacked("\x19\x01", market.domainSeparator(), keccak256(bytes.concat(head, tail)))
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(hostKeys[hostIndex], digest);
        o.hostExpiryNonce = uint256(uint160(host)) | (expiry << 160);
        o.terms = price | (COLLATERAL << 128);
        o.r = r;
        o.vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
    }

    function _current() private view returns (uint256[] memory) {
        return IStorageHosting(address(market)).shardRecords(dealId, _records);
    }

    function _rootPath(uint256 shard) private view returns (bytes32[] memory path) {
        bytes32[] memory level = new bytes32[](8);
        for (uint256 i; i < SHARDS; ++i) level[i] = _roots[i];
        path = new bytes32[](3);
        uint256 idx = shard;
        for (uint256 lvl; lvl < 3; ++lvl) {
            path[lvl] = level[idx ^ 1];
            bytes32[] memory next = new bytes32[](level.length / 2);
            for (uint256 i; i < next.length; ++i) {
                next[i] = keccak256(abi.encodePacked(bytes1(0x01), level[2 * i], level[2 * i + 1]));
            }
            level = next;
            idx >>= 1;
        }
    }

    /// @dev Reads ShardsUpdated, HostPaid, CollateralReleased and TrackRecordUpdated logs.
    function _captureLogs() private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        address lastSlashedHost;
        uint256 lastSlash;
        uint256 lastUnlock;
        for (uint256 i; i < logs.length; ++i) {
            bytes32 topic = logs[i].topics[0];
            if (topic == IStorageMarketTypes.ShardsUpdated.selector) {
                _records = abi.decode(logs[i].data, (uint256[]));
            } else if (topic == IStorageMarketTypes.HostPaid.selector) {
                paidFromEscrow += abi.decode(logs[i].data, (uint256));
            } else if (topic == IHostRegistry.CollateralReleased.selector) {
                lastSlashedHost = address(uint160(uint256(logs[i].topics[1])));
                (lastUnlock, lastSlash) = abi.decode(logs[i].data, (uint256, uint256));
                slashed[lastSlashedHost] += lastSlash;
            } else if (topic == IHostRegistry.TrackRecordUpdated.selector) {
                // The slash of this tenure must be exactly the missed challenges' rate, capped.
                (, uint256 missed, ) = abi.decode(logs[i].data, (uint256, uint256, bool));
                uint256 expected = missed * ((lastUnlock * SLASH_BPS) / 10_000);
                if (expected > lastUnlock) expected = lastUnlock;
                if (lastSlash != expected) unjustifiedSlash = true;
            }
        }
    }
}

contract StorageMarketInvariants is Test {
    StorageHandler internal handler;
    StorageMarket internal market;
    EscrowVault internal vault;
    HostRegistry internal registry;

    function setUp() public {
        TestBTT btt = new TestBTT(address(this));
        vault = new EscrowVault(address(btt), address(this));
        registry = new HostRegistry(address(vault), address(this), 7 days);
        market = new StorageMarket(
            address(vault),
            address(registry),
            IStorageMarketTypes.Config(1 hours, 1, 2, 2_000, 2_500, 5_000)
        );
        vault.setMarket(address(registry), true);
        vault.setMarket(address(market), true);
        registry.setMarket(address(market), true);
        // The handler mints from its constructor, so it owns the token from the start.
        btt.transferOwnership(vm.computeCreateAddress(address(this), vm.getNonce(address(this))));
        handler = new StorageHandler(btt, vault, registry, market);
        targetContract(address(handler));
    }

    /// @dev Invariant 2: no deal pays out more than its escrow; the pool holds exactly what the
    /// deal still owes (escrow left plus repair bounties) and nothing once it has ended.
    function invariant_dealPaysAtMostItsEscrow() public view {
        IStorageMarket.DealView memory d = market.deal(handler.dealId());
        assertLe(handler.paidFromEscrow(), handler.initialEscrow());
        if (d.status == 1) {
            assertEq(handler.paidFromEscrow() + d.escrow, handler.initialEscrow());
            assertEq(vault.heldBy(address(market)), d.escrow + handler.bountiesHeld());
        } else {
            assertEq(vault.heldBy(address(market)), 0);
        }
    }

    /// @dev Invariant 4: a host's stake falls only by unbonded withdrawals and by slashes equal to
    /// the missed challenges of its tenures.
    function invariant_stakeOnlyFallsByWithdrawalOrJustifiedSlash() public view {
        assertFalse(handler.unjustifiedSlash());
        for (uint256 i; i < 8; ++i) {
            address h = handler.hostAt(i);
            assertEq(registry.stakeOf(h).stake, handler.staked(h) - handler.withdrawn(h) - handler.slashed(h));
        }
    }

    /// @dev Invariant 5: each challenge is settled once, against the roots committed at opening.
    function invariant_eachChallengeSettledOnceAgainstCommittedRoots() public view {
        assertFalse(handler.settledTwice());
        assertFalse(handler.wrongProofAccepted());
        assertEq(market.deal(handler.dealId()).settledPeriods, handler.settlements());
    }
}
