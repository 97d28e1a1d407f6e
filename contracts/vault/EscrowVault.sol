// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEscrowVault} from "../interfaces/IEscrowVault.sol";
import {PermanentOwnable} from "../libraries/PermanentOwnable.sol";
import {TokenTransfers} from "../libraries/TokenTransfers.sol";

/// @title EscrowVault
/// @notice Holds every token of bttkit: free balances, market pools and generic escrows.
/// @dev Tokens move only in `_pull` and `_push`; everything else moves internal numbers.
contract EscrowVault is IEscrowVault, PermanentOwnable, Pausable, ReentrancyGuardTransient {
    using TokenTransfers for IERC20;

    /// @dev A market never authorised, authorised (takes new commitments), or retired (settles
    /// what it holds, takes nothing new).
    enum MarketStatus {
        None,
        Active,
        Retired
    }

    /// @dev A market's state in one slot: its status and its pool.
    struct MarketAccount {
        MarketStatus status;
        uint248 held;
    }

    IERC20 private immutable _token;

    mapping(address account => uint256) private _balances;
    mapping(address market => MarketAccount) private _markets;
    mapping(address account => mapping(address market => bool)) private _marketApprovals;
    mapping(address account => bool) private _pausers;
    mapping(uint256 escrowId => Escrow) private _escrows;
    uint256 private _nextEscrowId = 1;

    modifier onlyPauser() {
        if (!_pausers[msg.sender]) revert VaultNotPauser(msg.sender);
        _;
    }

    /// @param token_ The token held (BTT on TRON).
    /// @param owner_ The owner, who authorises markets and pausers.
    constructor(address token_, address owner_) Ownable(owner_) {
        if (token_ == address(0)) revert VaultZeroAddress();
        _token = IERC20(token_);
    }

    // ----------------------------------------------------------------------------------------
    // Users
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IEscrowVault
    function deposit(uint256 amount) external nonReentrant {
        _deposit(msg.sender, amount);
    }

    /// @inheritdoc IEscrowVault
    function depositFor(address account, uint256 amount) external nonReentrant {
        if (account == address(0)) revert VaultZeroAddress();
        _deposit(account, amount);
    }

    /// @inheritdoc IEscrowVault
    function withdraw(uint256 amount) external nonReentrant {
        _withdraw(msg.sender, amount);
    }

    /// @inheritdoc IEscrowVault
    function withdrawTo(address to, uint256 amount) external nonReentrant {
        if (to == address(0)) revert VaultZeroAddress();
        if (to == address(this)) revert VaultSelfTransfer();
        _withdraw(to, amount);
    }

    /// @inheritdoc IEscrowVault
    function setMarketApproval(address market, bool approved) external {
        if (market == address(0)) revert VaultZeroAddress();
        _marketApprovals[msg.sender][market] = approved;
        emit MarketApprovalSet(msg.sender, market, approved);
    }

    // ----------------------------------------------------------------------------------------
    // Escrows
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IEscrowVault
    function createEscrow(
        address payee,
        address arbiter,
        uint64 deadline,
        uint256 amount
    ) external whenNotPaused returns (uint256 escrowId) {
        _debit(msg.sender, amount);
        escrowId = _createEscrow(msg.sender, payee, arbiter, address(0), deadline, amount);
    }

    /// @inheritdoc IEscrowVault
    function releaseEscrow(uint256 escrowId, uint256 amount) external {
        Escrow storage e = _existingEscrow(escrowId);
        if (msg.sender != e.payer && (msg.sender != e.operator || e.operator == address(0))) {
            revert VaultEscrowUnauthorized(escrowId, msg.sender);
        }
        if (amount == 0) revert VaultZeroAmount();
        uint256 remaining = e.amount;
        if (amount > remaining) revert VaultEscrowInsufficient(escrowId, remaining, amount);
        address payee = e.payee;
        // Safe: amount <= remaining, checked above.
        unchecked {
            _settleEscrow(escrowId, e, remaining - amount);
        }
        _balances[payee] += amount;
        emit EscrowReleased(escrowId, payee, amount);
    }

    /// @inheritdoc IEscrowVault
    function reclaimEscrow(uint256 escrowId) external {
        Escrow storage e = _existingEscrow(escrowId);
        address payer = e.payer;
        if (msg.sender != payer) revert VaultEscrowUnauthorized(escrowId, msg.sender);
        uint64 deadline = e.deadline;
        if (block.timestamp <= deadline) revert VaultEscrowNotExpired(escrowId, deadline);
        uint256 remaining = e.amount;
        _settleEscrow(escrowId, e, 0);
        _balances[payer] += remaining;
        emit EscrowReclaimed(escrowId, payer, remaining);
    }

    /// @inheritdoc IEscrowVault
    function resolveEscrow(uint256 escrowId, uint256 toPayee) external {
        Escrow storage e = _existingEscrow(escrowId);
        if (msg.sender != e.arbiter || e.arbiter == address(0)) {
            revert VaultEscrowUnauthorized(escrowId, msg.sender);
        }
        uint256 remaining = e.amount;
        if (toPayee > remaining) revert VaultEscrowInsufficient(escrowId, remaining, toPayee);
        (address payer, address payee) = (e.payer, e.payee);
        _settleEscrow(escrowId, e, 0);
        // Safe: toPayee <= remaining, checked above.
        uint256 toPayer;
        unchecked {
            toPayer = remaining - toPayee;
        }
        _balances[payee] += toPayee;
        _balances[payer] += toPayer;
        emit EscrowResolved(escrowId, toPayee, toPayer);
    }

    // ----------------------------------------------------------------------------------------
    // Markets
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IEscrowVault
    function commit(address account, uint256 amount) external whenNotPaused {
        MarketAccount storage market = _markets[msg.sender];
        if (market.status != MarketStatus.Active) revert VaultNotMarket(msg.sender);
        if (!_marketApprovals[account][msg.sender]) revert VaultMarketNotApproved(account, msg.sender);
        _debit(account, amount);
        _addHeld(market, msg.sender, amount);
        emit Committed(msg.sender, account, amount);
    }

    /// @inheritdoc IEscrowVault
    function release(address to, uint256 amount) external {
        if (to == address(0)) revert VaultZeroAddress();
        _takeHeld(msg.sender, amount);
        _balances[to] += amount;
        emit Released(msg.sender, to, amount);
    }

    /// @inheritdoc IEscrowVault
    function releaseBatch(address[] calldata recipients, uint256[] calldata amounts) external {
        uint256 count = recipients.length;
        if (count != amounts.length) revert VaultLengthMismatch(count, amounts.length);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            (address to, uint256 amount) = (recipients[i], amounts[i]);
            if (to == address(0)) revert VaultZeroAddress();
            total += amount;
            _balances[to] += amount;
            emit Released(msg.sender, to, amount);
        }
        _takeHeld(msg.sender, total);
    }

    /// @inheritdoc IEscrowVault
    function transferHeld(address toMarket, uint256 amount) external {
        MarketAccount storage to = _markets[toMarket];
        // A retired market still receives: slashes of its open deals settle into its pool.
        if (to.status == MarketStatus.None) revert VaultNotMarket(toMarket);
        _takeHeld(msg.sender, amount);
        _addHeld(to, toMarket, amount);
        emit HeldTransferred(msg.sender, toMarket, amount);
    }

    /// @inheritdoc IEscrowVault
    function createEscrowFor(
        address payer,
        address payee,
        address arbiter,
        uint64 deadline,
        uint256 amount
    ) external returns (uint256 escrowId) {
        // Moves value the market already holds, so retired or paused markets may too.
        if (_markets[msg.sender].status == MarketStatus.None) revert VaultNotMarket(msg.sender);
        if (payer == address(0)) revert VaultZeroAddress();
        _takeHeld(msg.sender, amount);
        escrowId = _createEscrow(payer, payee, arbiter, msg.sender, deadline, amount);
    }

    // ----------------------------------------------------------------------------------------
    // Administration
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IEscrowVault
    function setMarket(address market, bool active) external onlyOwner {
        if (market == address(0)) revert VaultZeroAddress();
        MarketAccount storage m = _markets[market];
        if (active) m.status = MarketStatus.Active;
        else if (m.status == MarketStatus.Active) m.status = MarketStatus.Retired;
        emit MarketSet(market, active);
    }

    /// @inheritdoc IEscrowVault
    function setPauser(address account, bool enabled) external onlyOwner {
        if (account == address(0)) revert VaultZeroAddress();
        _pausers[account] = enabled;
        emit PauserSet(account, enabled);
    }

    /// @inheritdoc IEscrowVault
    function pause() external onlyPauser {
        _pause();
    }

    /// @inheritdoc IEscrowVault
    function unpause() external onlyPauser {
        _unpause();
    }

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IEscrowVault
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IEscrowVault
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @inheritdoc IEscrowVault
    function heldBy(address market) external view returns (uint256) {
        return _markets[market].held;
    }

    /// @inheritdoc IEscrowVault
    function isMarket(address market) external view returns (bool) {
        return _markets[market].status == MarketStatus.Active;
    }

    /// @inheritdoc IEscrowVault
    function isMarketApproved(address account, address market) external view returns (bool) {
        return _marketApprovals[account][market];
    }

    /// @inheritdoc IEscrowVault
    function isPauser(address account) external view returns (bool) {
        return _pausers[account];
    }

    /// @inheritdoc IEscrowVault
    function escrow(uint256 escrowId) external view returns (Escrow memory) {
        return _escrows[escrowId];
    }

    /// @inheritdoc IEscrowVault
    function nextEscrowId() external view returns (uint256) {
        return _nextEscrowId;
    }

    // ----------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------

    function _deposit(address account, uint256 amount) private {
        if (amount == 0) revert VaultZeroAmount();
        uint256 received = _token.pull(msg.sender, amount);
        // Refusing fee-on-transfer tokens keeps every later push exact (see TokenTransfers.push).
        if (received != amount) revert VaultFeeOnTransferToken(amount, received);
        _balances[account] += amount;
        emit Deposited(account, msg.sender, amount);
    }

    function _withdraw(address to, uint256 amount) private {
        _debit(msg.sender, amount);
        emit Withdrawn(msg.sender, to, amount);
        _token.push(to, amount);
    }

    function _debit(address account, uint256 amount) private {
        if (amount == 0) revert VaultZeroAmount();
        uint256 balance = _balances[account];
        if (balance < amount) revert VaultInsufficientBalance(account, balance, amount);
        // Safe: balance >= amount, checked above.
        unchecked {
            _balances[account] = balance - amount;
        }
    }

    function _takeHeld(address market, uint256 amount) private {
        if (amount == 0) revert VaultZeroAmount();
        MarketAccount storage account = _markets[market];
        uint256 held = account.held;
        if (held < amount) revert VaultInsufficientHeld(market, held, amount);
        // Safe: held >= amount, checked above, and the result fits the old 248-bit value.
        unchecked {
            account.held = uint248(held - amount);
        }
    }

    /// @dev Adds `amount` to `m`, the pool of `market`, refusing what would pass 248 bits.
    function _addHeld(MarketAccount storage m, address market, uint256 amount) private {
        uint256 held = m.held;
        if (amount > type(uint248).max - held) revert VaultHeldOverflow(market, held, amount);
        // Safe: held + amount <= 2**248 - 1, checked above.
        unchecked {
            m.held = uint248(held + amount);
        }
    }

    function _createEscrow(
        address payer,
        address payee,
        address arbiter,
        address operator,
        uint64 deadline,
        uint256 amount
    ) private returns (uint256 escrowId) {
        if (payee == address(0)) revert VaultZeroAddress();
        if (deadline <= block.timestamp) revert VaultEscrowDeadlineInPast(deadline);
        if (amount > type(uint128).max) revert VaultAmountTooLarge(amount);
        escrowId = _nextEscrowId++;
        _escrows[escrowId] = Escrow({
            payer: payer,
            deadline: deadline,
            payee: payee,
            arbiter: arbiter,
            operator: operator,
            amount: uint128(amount)
        });
        emit EscrowCreated(escrowId, payer, payee, arbiter, operator, deadline, amount);
    }

    function _existingEscrow(uint256 escrowId) private view returns (Escrow storage e) {
        e = _escrows[escrowId];
        if (e.payer == address(0)) revert VaultEscrowNotFound(escrowId);
    }

    /// @dev Records what is left; an emptied escrow is deleted (its id is never reused).
    function _settleEscrow(uint256 escrowId, Escrow storage e, uint256 remaining) private {
        if (remaining == 0) delete _escrows[escrowId];
        else e.amount = uint128(remaining);
    }
}
