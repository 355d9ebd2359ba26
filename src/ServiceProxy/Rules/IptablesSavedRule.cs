using System.Text;

namespace ServiceProxy.Rules;

/// <summary>
/// One rule line of iptables-save output (<c>-A CHAIN [!] -s ... -j TARGET ...</c>), split into the options the backend
/// writes. Options it does not write land in <see cref="OtherOptions"/>, so a rule someone else changed is not mistaken
/// for one of ours.
/// </summary>
internal sealed class IptablesSavedRule
{
    private IptablesSavedRule(string line, string chain)
    {
        Line = line;
        Chain = chain;
    }

    /// <summary>The line as iptables-save printed it.</summary>
    public string Line { get; }

    public string Chain { get; }

    public string? Source { get; private set; }

    public bool SourceNegated { get; private set; }

    public string? Destination { get; private set; }

    public string? Protocol { get; private set; }

    public string? DestinationPort { get; private set; }

    /// <summary>addrtype's --dst-type (LOCAL for node ports).</summary>
    public string? DestinationType { get; private set; }

    /// <summary>mark match's --mark VALUE[/MASK].</summary>
    public string? MarkMatch { get; private set; }

    /// <summary>MARK target's --or-mark VALUE, or --set-xmark VALUE/MASK (iptables-save prints --or-mark V as --set-xmark V/V).</summary>
    public string? MarkTarget { get; private set; }

    /// <summary>conntrack match's --ctorigdst: the destination the connection was opened to, before IPVS rewrote it.</summary>
    public string? OriginalDestination { get; private set; }

    /// <summary>conntrack match's --ctorigdstport.</summary>
    public string? OriginalDestinationPort { get; private set; }

    /// <summary>conntrack match's --ctdir (ORIGINAL for the firewall's rules).</summary>
    public string? ConnectionDirection { get; private set; }

    /// <summary>conntrack match's --ctstate (NEW for the unknown-port rejects).</summary>
    public string? ConnectionState { get; private set; }

    /// <summary>REJECT target's --reject-with.</summary>
    public string? RejectWith { get; private set; }

    public string? Comment { get; private set; }

    public string? Target { get; private set; }

    public List<string> OtherOptions { get; } = [];

    /// <summary>Parses an <c>-A</c> line; null for anything else.</summary>
    public static IptablesSavedRule? Parse(string line)
    {
        List<string> tokens = Tokenize(line);
        if (tokens.Count < 2 || tokens[0] != "-A")
        {
            return null;
        }
        var rule = new IptablesSavedRule(line, tokens[1]);
        bool negate = false;
        for (int i = 2; i < tokens.Count; i++)
        {
            string option = tokens[i];
            if (option == "!")
            {
                negate = true;
                continue;
            }
            string? value = i + 1 < tokens.Count ? tokens[i + 1] : null;
            bool takesValue = true;
            switch (option)
            {
                case "-s": rule.Source = value; rule.SourceNegated = negate; break;
                case "-d": rule.Destination = value; break;
                case "-p": rule.Protocol = value; break;
                case "--dport": rule.DestinationPort = value; break;
                case "--dst-type": rule.DestinationType = value; break;
                case "--mark": rule.MarkMatch = value; break;
                case "--or-mark" or "--set-xmark": rule.MarkTarget = option == "--or-mark" ? value + "/" + value : value; break;
                case "--comment": rule.Comment = value; break;
                case "--ctorigdst": rule.OriginalDestination = value; break;
                case "--ctorigdstport": rule.OriginalDestinationPort = value; break;
                case "--ctstate": rule.ConnectionState = value; break;
                case "--ctdir": rule.ConnectionDirection = value; break;
                case "--reject-with": rule.RejectWith = value; break;
                case "-j": rule.Target = value; break;
                case "-m":
                    break; // the match's options follow and are read on their own
                default:
                    takesValue = false;
                    rule.OtherOptions.Add(option);
                    break;
            }
            if (negate && option != "-s")
            {
                rule.OtherOptions.Add("! " + option);
            }
            negate = false;
            if (takesValue)
            {
                i++;
            }
        }
        return rule;
    }

    /// <summary>Splits at spaces, keeping "double quoted" words (comments) whole, as iptables-save quotes them.</summary>
    internal static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    tokens.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            tokens.Add(word.ToString());
        }
        return tokens;
    }
}
