using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace Netlink.Tests.NfTables;

/// <summary>
/// Every nf_tables number the code uses, checked against this machine's uapi headers by a compiled C program:
/// every constant of NfConstants (which carry the kernel's own names) and every public enum member, mapped to the C
/// expression that defines it. Needs a C compiler; fails, never skips, without one.
/// </summary>
public sealed class NfTablesUapiConstantsTests
{
    private static readonly Dictionary<string, string> s_enumMembers = new(StringComparer.Ordinal)
    {
        ["CtState.Invalid"] = "NF_CT_STATE_INVALID_BIT",
        ["CtState.Established"] = "NF_CT_STATE_BIT(IP_CT_ESTABLISHED)",
        ["CtState.Related"] = "NF_CT_STATE_BIT(IP_CT_RELATED)",
        ["CtState.New"] = "NF_CT_STATE_BIT(IP_CT_NEW)",
        ["CtState.Untracked"] = "NF_CT_STATE_UNTRACKED_BIT",
        ["CtDirection.Original"] = "IP_CT_DIR_ORIGINAL",
        ["CtDirection.Reply"] = "IP_CT_DIR_REPLY",
        ["Registers.Verdict"] = "NFT_REG_VERDICT",
        ["Registers.R1"] = "NFT_REG_1",
        ["Registers.R2"] = "NFT_REG_2",
        ["Registers.R3"] = "NFT_REG_3",
        ["Registers.R4"] = "NFT_REG_4",
        ["ChainPriority.Raw"] = "NF_IP_PRI_RAW",
        ["ChainPriority.Mangle"] = "NF_IP_PRI_MANGLE",
        ["ChainPriority.DstNat"] = "NF_IP_PRI_NAT_DST",
        ["ChainPriority.Filter"] = "NF_IP_PRI_FILTER",
        ["ChainPriority.Security"] = "NF_IP_PRI_SECURITY",
        ["ChainPriority.SrcNat"] = "NF_IP_PRI_NAT_SRC",
        ["NfTablesClient.ERESTART"] = "ERESTART",
    };

    [Fact]
    public void Every_constant_matches_the_headers()
    {
        var checks = new List<(string C, long Value, string Where)>();
        Type constants = typeof(NfTablesClient).Assembly.GetType("Netlink.Netfilter.NfTables.Codec.NfConstants", throwOnError: true)!;
        foreach (FieldInfo field in constants.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            checks.Add((field.Name, Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture), "NfConstants." + field.Name));
        }
        foreach ((string member, string c) in s_enumMembers)
        {
            string[] parts = member.Split('.');
            Type type = typeof(NfTablesClient).Assembly.GetTypes().Single(t => t.Name == parts[0]);
            object value = type.IsEnum
                ? Enum.Parse(type, parts[1])
                : type.GetField(parts[1], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
            checks.Add((c, Convert.ToInt64(value, CultureInfo.InvariantCulture), member));
        }
        // The remaining enum members are defined as NfConstants values; check they stay so.
        Assert.Equal((long)(uint)CtKey.DestinationIp, checks.Single(c => c.C == "NFT_CT_DST_IP").Value);

        var program = new StringBuilder();
        foreach (string header in new[] { "stdio.h", "errno.h", "linux/netlink.h", "linux/netfilter.h", "linux/netfilter_ipv4.h", "linux/netfilter/nfnetlink.h",
            "linux/netfilter/nf_tables.h", "linux/netfilter/nf_nat.h", "linux/netfilter/nf_conntrack_common.h" })
        {
            program.Append("#include <").Append(header).Append(">\n");
        }
        program.Append("int main(void) {\n");
        foreach ((string c, _, _) in checks)
        {
            program.Append("  printf(\"%lld\\n\", (long long)(").Append(c).Append("));\n");
        }
        program.Append("  return 0;\n}\n");
        string directory = Directory.CreateTempSubdirectory("nft-uapi").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "uapi.c"), program.ToString());
            (int compiled, string compileOutput) = Run("cc", "-std=gnu11 -o uapi uapi.c", directory);
            Assert.True(compiled == 0, "cc failed (install gcc and linux-libc-dev):\n" + compileOutput);
            (int ran, string output) = Run(Path.Combine(directory, "uapi"), "", directory);
            Assert.Equal(0, ran);
            string[] values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(checks.Count, values.Length);
            var wrong = checks.Zip(values).Where(p => long.Parse(p.Second, CultureInfo.InvariantCulture) != p.First.Value)
                .Select(p => $"{p.First.Where} = {p.First.Value}, but {p.First.C} = {p.Second}").ToList();
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
