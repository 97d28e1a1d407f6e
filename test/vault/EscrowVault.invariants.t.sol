// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Test} from "forge-std/Test.sol";
import {EscrowVault} from "../../contracts/vault/EscrowVault.sol";
import {IEscrowVault} from "../../contracts/interfaces/IEscrowVault.sol";
import {TestBTT} from "../../contracts/mocks/TestBTT.sol";

/// @dev Drives the vault with bounded random actions from a few actors, two markets and the
/// owner (who retires and re-authorises markets, pauses and unpauses), and keeps ghost totals of
/// what each escrow received and paid out. Every call that settles value already committed
/// (withdraw, escrow release, reclaim and resolve, market release, transferHeld, createEscrowFor)
/// is given valid arguments, so a revert can only come from an owner action: it is recorded in
/// `stuck` (property E3).
contract VaultHandler is Test {
    EscrowVault public immutable vault;
    TestBTT public immutable btt;
    address public immutable market;
    address public immutable market2;
    address[] public actors;
    uint256[] public escrowIds;
    mapping(uint256 => uint256) public funded;
    mapping(uint256 => uint256) public paidOut;
    /// @dev The first settling call that reverted, or empty.
    string public stuck;

    /// @dev Needs the vault's ownership offered to it (it accepts) and the token's ownership.
    constructor(EscrowVault vault_, TestBTT btt_, address market_, address market2_) {
        vault = vault_;
        btt = btt_;
        market = market_;
        market2 = market2_;
        vault.acceptOwnership();
        vault.setPauser(address(this), true);
        for (uint256 i = 1; i <= 4; ++i) {
            address actor = address(uint160(0xA000 + i));
            actors.push(actor);
            btt.mint(actor, 1e30);
            vm.startPrank(actor);
            btt.approve(address(vault), type(uint256).max);
            vault.setMarketApproval(market, true);
            vault.setMarketApproval(market2, true);
            vm.stopPrank();
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function escrowCount() external view returns (uint256) {
        return escrowIds.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function deposit(uint256 seed, uint256 amount) external {
        amount = bound(amount, 1, 1e24);
        vm.prank(_actor(seed));
        vault.deposit(amount);
    }

    function withdraw(uint256 seed, uint256 amount) external {
        address actor = _actor(seed);
        uint256 balance = vault.balanceOf(actor);
        if (balance == 0) return;
        vm.prank(actor);
        try vault.withdraw(bound(amount, 1, balance)) {} catch {
            _stuck("withdraw");
        }
    }

    function createEscrow(uint256 seed, uint256 amount, uint256 ttl) external {
        address payer = _actor(seed);
        uint256 balance = vault.balanceOf(payer);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        // A new commitment: refused while paused, which is fine.
        if (vault.paused()) return;
        vm.prank(payer);
        uint256 id = vault.createEscrow(
            _actor(seed / 7 + 1),
            _actor(seed / 11 + 2),
            uint64(block.timestamp + bound(ttl, 1, 1 days)),
            amount
        );
        escrowIds.push(id);
        funded[id] = amount;
    }

    function releaseEscrow(uint256 seed, uint256 amount) external {
        if (escrowIds.length == 0) return;
        uint256 id = escrowIds[seed % escrowIds.length];
        IEscrowVault.Escrow memory e = vault.escrow(id);
        if (e.amount == 0) return;
        amount = bound(amount, 1, e.amount);
        vm.prank(e.payer);
        try vault.releaseEscrow(id, amount) {
            paidOut[id] += amount;
        } catch {
            _stuck("releaseEscrow");
        }
    }

    function reclaimEscrow(uint256 seed) external {
        if (escrowIds.length == 0) return;
        uint256 id = escrowIds[seed % escrowIds.length];
        IEscrowVault.Escrow memory e = vault.escrow(id);
        if (e.amount == 0) return;
        vm.warp(uint256(e.deadline) + 1);
        vm.prank(e.payer);
        try vault.reclaimEscrow(id) {
            paidOut[id] += e.amount;
        } catch {
            _stuck("reclaimEscrow");
        }
    }

    function resolveEscrow(uint256 seed, uint256 toPayee) external {
        if (escrowIds.length == 0) return;
        uint256 id = escrowIds[seed % escrowIds.length];
        IEscrowVault.Escrow memory e = vault.escrow(id);
        if (e.amount == 0) return;
        vm.prank(e.arbiter);
        try vault.resolveEscrow(id, bound(toPayee, 0, e.amount)) {
            paidOut[id] += e.amount;
        } catch {
            _stuck("resolveEscrow");
        }
    }

    function commit(uint256 seed, uint256 amount) external {
        address actor = _actor(seed);
        uint256 balance = vault.balanceOf(actor);
        if (balance == 0) return;
        // A new commitment: refused while paused or retired, which is fine.
        address m = _market(seed);
        if (vault.paused() || !vault.isMarket(m)) return;
        vm.prank(m);
        vault.commit(actor, bound(amount, 1, balance));
    }

    function release(uint256 seed, uint256 amount) external {
        address m = _market(seed);
        uint256 held = vault.heldBy(m);
        if (held == 0) return;
        vm.prank(m);
        try vault.release(_actor(seed), bound(amount, 1, held)) {} catch {
            _stuck("release");
        }
    }

    function transferHeld(uint256 seed, uint256 amount) external {
        address from = _market(seed);
        address to = from == market ? market2 : market;
        uint256 held = vault.heldBy(from);
        if (held == 0) return;
        vm.prank(from);
        try vault.transferHeld(to, bound(amount, 1, held)) {} catch {
            _stuck("transferHeld");
        }
    }

    function createEscrowFor(uint256 seed, uint256 amount, uint256 ttl) external {
        address m = _market(seed);
        uint256 held = vault.heldBy(m);
        if (held == 0) return;
        amount = bound(amount, 1, held);
        vm.prank(m);
        try
            vault.createEscrowFor(
                _actor(seed),
                _actor(seed / 7 + 1),
                _actor(seed / 11 + 2),
                uint64(block.timestamp + bound(ttl, 1, 1 days)),
                amount
            )
        returns (uint256 id) {
            escrowIds.push(id);
            funded[id] = amount;
        } catch {
            _stuck("createEscrowFor");
        }
    }

    // Owner and pauser actions ---------------------------------------------------------------

    function setMarket(uint256 seed, bool active) external {
        vault.setMarket(_market(seed), active);
    }

    function pause() external {
        if (!vault.paused()) vault.pause();
    }

    function unpause() external {
        if (vault.paused()) vault.unpause();
    }

    function _market(uint256 seed) private view returns (address) {
        return seed % 2 == 0 ? market : market2;
    }

    function _stuck(string memory call) private {
        if (bytes(stuck).length == 0) stuck = call;
    }
}

contract EscrowVaultInvariantTest is Test {
    EscrowVault private vault;
    TestBTT private btt;
    VaultHandler private handler;
    address private constant MARKET = address(0xBEEF);
    address private constant MARKET2 = address(0xBEEF2);

    function setUp() public {
        btt = new TestBTT(address(this));
        vault = new EscrowVault(address(btt), address(this));
        vault.setMarket(MARKET, true);
        vault.setMarket(MARKET2, true);
        // The handler mints and takes the vault's ownership in its constructor, so both must be
        // offered to it before it is deployed.
        address handlerAddress = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        btt.transferOwnership(handlerAddress);
        vault.transferOwnership(handlerAddress);
        handler = new VaultHandler(vault, btt, MARKET, MARKET2);
        targetContract(address(handler));
    }

    /// Invariant 1: the vault's tokens equal the sum of free balances, market pools and escrows.
    function invariant_tokensEqualInternalAccounts() public view {
        uint256 total = vault.heldBy(MARKET) + vault.heldBy(MARKET2);
        for (uint256 i; i < handler.actorCount(); ++i) {
            total += vault.balanceOf(handler.actors(i));
        }
        for (uint256 i; i < handler.escrowCount(); ++i) {
            total += vault.escrow(handler.escrowIds(i)).amount;
        }
        assertEq(btt.balanceOf(address(vault)), total);
    }

    /// Invariant 2: no escrow pays out more than it was funded with, and what is left plus what
    /// was paid out is exactly what was funded.
    function invariant_escrowsNeverPayMoreThanTheyHold() public view {
        for (uint256 i; i < handler.escrowCount(); ++i) {
            uint256 id = handler.escrowIds(i);
            uint256 left = vault.escrow(id).amount;
            assertLe(handler.paidOut(id), handler.funded(id));
            assertEq(handler.paidOut(id) + left, handler.funded(id));
        }
    }

    /// Property E3: no owner action (retiring or re-authorising a market, pausing) made a call
    /// that settles committed value revert.
    function invariant_ownerActionsNeverStrandCommittedValue() public view {
        assertEq(handler.stuck(), "");
    }
}
