// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

/// @title MockUSDTStorage
/// @notice A TRC-20 with USDT's (TetherToken's) storage pattern on its transfer path, to measure
/// transfer energy against USDT's published figures: the upgrade flag, the blacklist, the pause
/// flag, the fee parameters (basisPointsRate, maximumFee) and the two balances are all read,
/// both balances written, the owner's balance too when a fee is set. No fee by default, as on
/// TRON's USDT. Test-only.
contract MockUSDTStorage {
    address public owner;
    bool public paused;
    bool public deprecated;
    address public upgradedAddress;
    uint256 public basisPointsRate;
    uint256 public maximumFee;
    uint256 public totalSupply;
    mapping(address account => uint256) public balanceOf;
    mapping(address account => bool) public isBlackListed;
    mapping(address holder => mapping(address spender => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed holder, address indexed spender, uint256 value);

    error Blacklisted(address account);
    error Paused();
    error Deprecated(address upgradedAddress);
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    constructor() {
        owner = msg.sender;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        if (isBlackListed[msg.sender]) revert Blacklisted(msg.sender);
        _move(msg.sender, to, value);
        return true;
    }

    /// @dev USDT's order: blacklist of the sender, then the allowance (unlimited stays unlimited).
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        if (isBlackListed[from]) revert Blacklisted(from);
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < value) revert InsufficientAllowance(msg.sender, allowed, value);
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - value;
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        if (deprecated) revert Deprecated(upgradedAddress);
        if (paused) revert Paused();
        uint256 fee = (value * basisPointsRate) / 10_000;
        if (fee > maximumFee) fee = maximumFee;
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(from, balance, value);
        balanceOf[from] = balance - value;
        balanceOf[to] += value - fee;
        if (fee > 0) {
            balanceOf[owner] += fee;
            emit Transfer(from, owner, fee);
        }
        emit Transfer(from, to, value - fee);
    }
}
