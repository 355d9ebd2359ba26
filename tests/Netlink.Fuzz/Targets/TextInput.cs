using System.Text;

namespace Netlink.Fuzz.Targets;

/// <summary>Inputs as the programs read text: UTF-8, invalid sequences replaced, as a StreamReader would.</summary>
internal static class TextInput
{
    public static string Decode(ReadOnlySpan<byte> input) => Encoding.UTF8.GetString(input);
}
