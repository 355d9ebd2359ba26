namespace Netlink.Netfilter.NfTables;

/// <summary>
/// Register numbers (enum nft_registers). <see cref="Verdict"/> holds the verdict; <see cref="R1"/> to <see cref="R4"/>
/// are the 16-byte registers; <see cref="Reg32"/> numbers the 4-byte registers that overlay them, which is what a
/// concatenation uses for its second and later fields (<c>nft</c> prints them as reg 9, 10, ...).
/// </summary>
public static class Registers
{
    /// <summary>NFT_REG_VERDICT.</summary>
    public const uint Verdict = 0;

    /// <summary>NFT_REG_1.</summary>
    public const uint R1 = 1;

    /// <summary>NFT_REG_2.</summary>
    public const uint R2 = 2;

    /// <summary>NFT_REG_3.</summary>
    public const uint R3 = 3;

    /// <summary>NFT_REG_4.</summary>
    public const uint R4 = 4;

    /// <summary>NFT_REG32_00 + <paramref name="index"/> (0..15): the 4-byte register at that position.</summary>
    public static uint Reg32(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 15);
        return 8 + (uint)index;
    }
}
