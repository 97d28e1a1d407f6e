// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title IEscrowVault
/// @notice The only bttkit contract that holds tokens. It keeps three kinds of internal account:
/// free balances of users, the held pool of each authorised market, and generic escrows
/// ("custodial agreements"). Markets keep their own sub-accounts (deals, bids, stakes) inside their
/// held pool, so moving value inside a market costs no token transfer.
/// @dev Invariant: token.balanceOf(vault) >= sum(balances) + sum(held) + sum(escrow amounts),
/// with equality unless someone sent tokens to the vault directly.
interface IEscrowVault {
    /// @notice A custodial agreement: `amount` is what is still held for the payee.
    struct Escrow {
        address payer;
        uint64 deadline;
        address payee;
        address arbiter;
        address operator;
        uint128 amount;
    }

    // ----------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------

    /// @notice An amount of zero was given where a positive amount is required.
    error VaultZeroAmount();
    /// @notice The zero address was given where an account is required.
    error VaultZeroAddress();
    /// @notice `account` has `balance` free but `needed` was asked for.
    error VaultInsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice `market` holds `held` but `needed` was asked for.
    error VaultInsufficientHeld(address market, uint256 held, uint256 needed);
    /// @notice `market` is not an active authorised market (for new commitments), or was never
    /// authorised (as the receiver of `transferHeld`, or the caller of `createEscrowFor`).
    error VaultNotMarket(address market);
    /// @notice `account` has not approved `market` to commit its free balance.
    error VaultMarketNotApproved(address account, address market);
    /// @notice The caller is not a pauser.
    error VaultNotPauser(address caller);
    /// @notice A deposit delivered `received` tokens where `expected` were pulled: fee-on-transfer
    /// tokens are refused, so that every later push can be checked exactly.
    error VaultFeeOnTransferToken(uint256 expected, uint256 received);
    /// @notice Tokens cannot be withdrawn to the vault itself.
    error VaultSelfTransfer();
    /// @notice No escrow exists with this id, or it has been fully paid out.
    error VaultEscrowNotFound(uint256 escrowId);
    /// @notice `caller` may not perform this action on escrow `escrowId`.
    error VaultEscrowUnauthorized(uint256 escrowId, address caller);
    /// @notice The escrow holds `remaining`, less than the `needed` asked for.
    error VaultEscrowInsufficient(uint256 escrowId, uint256 remaining, uint256 needed);
    /// @notice The escrow's deadline `deadline` has not passed yet.
    error VaultEscrowNotExpired(uint256 escrowId, uint64 deadline);
    /// @notice A deadline must lie in the future.
    error VaultEscrowDeadlineInPast(uint64 deadline);
    /// @notice Two arrays that go together have different lengths.
    error VaultLengthMismatch(uint256 recipients, uint256 amounts);
    /// @notice An escrow amount does not fit in 128 bits.
    error VaultAmountTooLarge(uint256 amount);
    /// @notice Adding `amount` to the pool of `market`, which holds `held`, would pass 2**248 - 1.
    error VaultHeldOverflow(address market, uint256 held, uint256 amount);

    // ----------------------------------------------------------------------------------------
    // Events
    // ----------------------------------------------------------------------------------------

    /// @notice `from` deposited `amount` tokens, credited to `account`.
    event Deposited(address indexed account, address indexed from, uint256 amount);
    /// @notice `account` withdrew `amount` tokens to `to`.
    event Withdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice `market` took `amount` from the free balance of `account` into its held pool.
    event Committed(address indexed market, address indexed account, uint256 amount);
    /// @notice `market` paid `amount` out of its held pool to the free balance of `to`.
    event Released(address indexed market, address indexed to, uint256 amount);
    /// @notice `amount` moved from the held pool of `fromMarket` to that of `toMarket`.
    event HeldTransferred(address indexed fromMarket, address indexed toMarket, uint256 amount);
    /// @notice A market was authorised (`active` true) or retired (`active` false).
    event MarketSet(address indexed market, bool active);
    /// @notice `account` approved or revoked `market`'s right to commit its free balance.
    event MarketApprovalSet(address indexed account, address indexed market, bool approved);
    /// @notice `account` was granted or lost the pauser role.
    event PauserSet(address indexed account, bool enabled);
    /// @notice Escrow `escrowId` was created.
    event EscrowCreated(
        uint256 indexed escrowId,
        address indexed payer,
        address indexed payee,
        address arbiter,
        address operator,
        uint64 deadline,
        uint256 amount
    );
    /// @notice `amount` of escrow `escrowId` was released to its payee.
    event EscrowReleased(uint256 indexed escrowId, address indexed payee, uint256 amount);
    /// @notice The payer reclaimed the `amount` left in escrow `escrowId` after its deadline.
    event EscrowReclaimed(uint256 indexed escrowId, address indexed payer, uint256 amount);
    /// @notice The arbiter split escrow `escrowId`: `toPayee` to the payee, `toPayer` back.
    event EscrowResolved(uint256 indexed escrowId, uint256 toPayee, uint256 toPayer);

    // ----------------------------------------------------------------------------------------
    // Users
    // ----------------------------------------------------------------------------------------

    /// @notice Pulls `amount` tokens from the caller and credits the caller. Needs an ERC-20
    /// allowance for the vault. Allowed while paused (a deposit commits nothing).
    /// @param amount Tokens to pull, in the token's smallest unit.
    function deposit(uint256 amount) external;

    /// @notice Pulls `amount` tokens from the caller and credits `account`.
    /// @param account The account credited.
    /// @param amount Tokens to pull.
    function depositFor(address account, uint256 amount) external;

    /// @notice Sends `amount` of the caller's free balance to the caller. Works while paused.
    /// @param amount Tokens to send.
    function withdraw(uint256 amount) external;

    /// @notice Sends `amount` of the caller's free balance to `to`. Works while paused.
    /// @param to The recipient wallet.
    /// @param amount Tokens to send.
    function withdrawTo(address to, uint256 amount) external;

    /// @notice Lets `market` commit the caller's free balance (or stops it). An authorised market
    /// can only touch the balance of users who approved it, and only through its own calls.
    /// @param market The market contract.
    /// @param approved True to approve, false to revoke.
    function setMarketApproval(address market, bool approved) external;

    // ----------------------------------------------------------------------------------------
    // Escrows
    // ----------------------------------------------------------------------------------------

    /// @notice Moves `amount` of the caller's free balance into a new escrow for `payee`.
    /// @param payee Who the escrow is released to.
    /// @param arbiter Who may split the escrow in a dispute; zero for none.
    /// @param deadline After this time the payer can reclaim what was not released.
    /// @param amount Tokens to escrow.
    /// @return escrowId The new escrow's id.
    function createEscrow(
        address payee,
        address arbiter,
        uint64 deadline,
        uint256 amount
    ) external returns (uint256 escrowId);

    /// @notice Releases `amount` of escrow `escrowId` to its payee. Payer or operator only.
    /// @param escrowId The escrow.
    /// @param amount Tokens to release.
    function releaseEscrow(uint256 escrowId, uint256 amount) external;

    /// @notice After the deadline, returns what is left in escrow `escrowId` to the payer.
    /// Payer only.
    /// @param escrowId The escrow.
    function reclaimEscrow(uint256 escrowId) external;

    /// @notice The arbiter splits what is left: `toPayee` to the payee, the rest to the payer.
    /// @param escrowId The escrow.
    /// @param toPayee The payee's part; at most what is left.
    function resolveEscrow(uint256 escrowId, uint256 toPayee) external;

    // ----------------------------------------------------------------------------------------
    // Markets
    // ----------------------------------------------------------------------------------------

    /// @notice Moves `amount` from `account`'s free balance into the calling market's held pool.
    /// Needs an active market, `account`'s approval, and the vault not paused.
    /// @param account The account that committed value through the market.
    /// @param amount Tokens to commit.
    function commit(address account, uint256 amount) external;

    /// @notice Pays `amount` out of the calling market's held pool to `to`'s free balance.
    /// Works while paused and after the market is retired, so committed value never gets stuck.
    /// @param to The account credited.
    /// @param amount Tokens to pay.
    function release(address to, uint256 amount) external;

    /// @notice Pays several amounts out of the calling market's held pool in one call.
    /// @param recipients The accounts credited.
    /// @param amounts The amount for each recipient.
    function releaseBatch(address[] calldata recipients, uint256[] calldata amounts) external;

    /// @notice Moves `amount` from the calling market's held pool to that of `toMarket`, a market
    /// that is or was authorised: a retired market still receives what settles its open deals.
    /// Works while paused.
    /// @param toMarket The receiving market.
    /// @param amount Tokens to move.
    function transferHeld(address toMarket, uint256 amount) external;

    /// @notice Funds a new escrow out of the calling market's held pool, on `payer`'s behalf; the
    /// market becomes the escrow's operator. Moves value already committed, so it works while
    /// paused and after the market is retired.
    /// @return escrowId The new escrow's id.
    function createEscrowFor(
        address payer,
        address payee,
        address arbiter,
        uint64 deadline,
        uint256 amount
    ) external returns (uint256 escrowId);

    // ----------------------------------------------------------------------------------------
    // Administration
    // ----------------------------------------------------------------------------------------

    /// @notice Authorises (`active` true) or retires (`active` false) a market. Owner only.
    /// Retiring stops new commitments only: a retired market still pays out (`release`,
    /// `releaseBatch`, `createEscrowFor`) and receives (`transferHeld`) what it already holds.
    function setMarket(address market, bool active) external;

    /// @notice Grants or revokes the pauser role. Owner only.
    function setPauser(address account, bool enabled) external;

    /// @notice Stops new commitments: market commits and `createEscrow`. Pauser only. Withdrawals,
    /// escrow settlement and everything markets do with value they already hold keep working.
    function pause() external;

    /// @notice Lifts a pause. Pauser only.
    function unpause() external;

    // ----------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------

    /// @notice The token this vault holds (BTT on TRON).
    function token() external view returns (address);

    /// @notice The free balance of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice What `market` holds for its sub-accounts.
    function heldBy(address market) external view returns (uint256);

    /// @notice Whether `market` is an active authorised market.
    function isMarket(address market) external view returns (bool);

    /// @notice Whether `account` approved `market` to commit its free balance.
    function isMarketApproved(address account, address market) external view returns (bool);

    /// @notice Whether `account` holds the pauser role.
    function isPauser(address account) external view returns (bool);

    /// @notice Escrow `escrowId` (all zero once fully paid out or never created).
    function escrow(uint256 escrowId) external view returns (Escrow memory);

    /// @notice The id the next escrow will get.
    function nextEscrowId() external view returns (uint256);
}
