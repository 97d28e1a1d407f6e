// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Test} from "forge-std/Test.sol";
import {EscrowVault} from "../../contracts/vault/EscrowVault.sol";
import {IEscrowVault} from "../../contracts/interfaces/IEscrowVault.sol";
import {TestBTT} from "../../contracts/mocks/TestBTT.sol";

/// @dev Drives the vault with bounded random actions from a few actors and one market, and keeps
/// ghost totals of what each escrow received and paid out.
contract VaultHandler is Test {
    EscrowVault public immutable vault;
    TestBTT public immutable btt;
    address public immutable market;
    address[] public actors;
    uint256[] public escrowIds;
    mapping(uint256 => uint256) public funded;
    mapping(uint256 => uint256) public paidOut;

    constructor(EscrowVault vault_, TestBTT btt_, address market_) {
        vault = vault_;
        btt = btt_;
        market = market_;
        for (uint256 i = 1; i <= 4; ++i) {
            address actor = address(uint160(0xA000 + i));
            actors.push(actor);
            btt.mint(actor, 1e30);
            vm.startPrank(actor);
            btt.approve(address(vault), type(uint256).max);
            vault.setMarketApproval(market, true);
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
        vault.withdraw(bound(amount, 1, balance));
    }

    function createEscrow(uint256 seed, uint256 amount, uint256 ttl) external {
        address payer = _actor(seed);
        uint256 balance = vault.balanceOf(payer);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
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
        vault.releaseEscrow(id, amount);
        paidOut[id] += amount;
    }

    function reclaimEscrow(uint256 seed) external {
        if (escrowIds.length == 0) return;
        uint256 id = escrowIds[seed % escrowIds.length];
        IEscrowVault.Escrow memory e = vault.escrow(id);
        if (e.amount == 0) return;
        vm.warp(uint256(e.deadline) + 1);
        vm.prank(e.payer);
        vault.reclaimEscrow(id);
        paidOut[id] += e.amount;
    }

    function resolveEscrow(uint256 seed, uint256 toPayee) external {
        if (escrowIds.length == 0) return;
        uint256 id = escrowIds[seed % escrowIds.length];
        IEscrowVault.Escrow memory e = vault.escrow(id);
        if (e.amount == 0) return;
        vm.prank(e.arbiter);
        vault.resolveEscrow(id, bound(toPayee, 0, e.amount));
        paidOut[id] += e.amount;
    }

    function commit(uint256 seed, uint256 amount) external {
        address actor = _actor(seed);
        uint256 balance = vault.balanceOf(actor);
        if (balance == 0) return;
        vm.prank(market);
        vault.commit(actor, bound(amount, 1, balance));
    }

    function release(uint256 seed, uint256 amount) external {
        uint256 held = vault.heldBy(market);
        if (held == 0) return;
        vm.prank(market);
        vault.release(_actor(seed), bound(amount, 1, held));
    }
}

contract EscrowVaultInvariantTest is Test {
    EscrowVault private vault;
    TestBTT private btt;
    VaultHandler private handler;
    address private constant MARKET = address(0xBEEF);

    function setUp() public {
        btt = new TestBTT(address(this));
        vault = new EscrowVault(address(btt), address(this));
        vault.setMarket(MARKET, true);
        // The handler mints in its constructor, so it must own the token before it is deployed.
        address handlerAddress = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        btt.transferOwnership(handlerAddress);
        handler = new VaultHandler(vault, btt, MARKET);
        targetContract(address(handler));
    }

    /// Invariant 1: the vault's tokens equal the sum of free balances, market pools and escrows.
    function invariant_tokensEqualInternalAccounts() public view {
        uint256 total = vault.heldBy(MARKET);
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
}
