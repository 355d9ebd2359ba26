namespace Netlink.Tests.Core;

/// <summary>Golden bytes written as hex, one string per field so each can carry a comment.</summary>
public static class WireHex
{
    /// <summary>Joins the fields (spaces allowed inside each) into bytes.</summary>
    public static byte[] Parse(params string[] fields) => Convert.FromHexString(string.Concat(fields).Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Lower-case hex of <paramref name="bytes"/>, for readable assertion failures.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
