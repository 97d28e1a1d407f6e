// SPDX-License-Identifier: MIT
pragma solidity 0.8.29;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title TIP712
/// @notice EIP-712 domain with TRON's rules (TRON.md): `chainId` is `block.chainid & 0xffffffff`
/// (networks without chain parameter 71 return all 32 bytes of the genesis id) and
/// `verifyingContract` is the 20-byte address. OpenZeppelin's EIP712 hashes the raw chain id,
/// so signatures made by TronWeb would not verify with it.
abstract contract TIP712 is IERC5267 {
    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    bytes32 private immutable _hashedName;
    bytes32 private immutable _hashedVersion;
    string private _name;
    string private _version;
    uint256 private immutable _cachedChainId;
    address private immutable _cachedThis;
    bytes32 private immutable _cachedDomainSeparator;

    constructor(string memory name_, string memory version_) {
        _name = name_;
        _version = version_;
        _hashedName = keccak256(bytes(name_));
        _hashedVersion = keccak256(bytes(version_));
        _cachedChainId = _tronChainId();
        _cachedThis = address(this);
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _name, _version, _tronChainId(), address(this), bytes32(0), new uint256[](0));
    }

    /// @notice The domain separator that typed-data signatures for this contract commit to.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @dev The chain id TRON wallets sign: the low 4 bytes of the genesis block id.
    function _tronChainId() internal view returns (uint256) {
        return block.chainid & 0xffffffff;
    }

    function _domainSeparator() internal view returns (bytes32) {
        if (address(this) == _cachedThis && _tronChainId() == _cachedChainId) return _cachedDomainSeparator;
        return _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, _hashedName, _hashedVersion, _tronChainId(), address(this)));
    }

    /// @dev The digest a signer signs for `structHash` under this contract's domain.
    function _hashTypedData(bytes32 structHash) internal view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(_domainSeparator(), structHash);
    }
}
