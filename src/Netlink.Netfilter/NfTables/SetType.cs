namespace Netlink.Netfilter.NfTables;

/// <summary>
/// The type of a set's keys or a map's values, as <c>nft</c> records it in NFTA_SET_KEY_TYPE / NFTA_SET_DATA_TYPE (the
/// kernel stores the number and only checks lengths; <c>nft</c> uses it to print elements). A concatenation such as
/// <c>ipv4_addr . inet_proto . inet_service</c> packs the field types 6 bits each and pads every field to 4 bytes.
/// </summary>
public sealed record SetType
{
    private const int TypeBits = 6;

    private SetType(uint id, int length, string name, IReadOnlyList<int> fieldLengths, uint byteOrder = BigEndian)
    {
        ByteOrder = byteOrder;
        Id = id;
        Length = length;
        Name = name;
        FieldLengths = fieldLengths;
    }

    /// <summary>The type number (<c>nft</c>'s datatype id, or the concatenation of them; NFT_DATA_VERDICT for verdicts).</summary>
    public uint Id { get; }

    /// <summary>The key length in bytes (NFTA_SET_KEY_LEN); fields of a concatenation are each padded to 4 bytes.</summary>
    public int Length { get; }

    /// <summary>The name as <c>nft</c> prints it.</summary>
    public string Name { get; }

    /// <summary>The unpadded length of each field (one for a plain type), for NFTA_SET_DESC_CONCAT.</summary>
    public IReadOnlyList<int> FieldLengths { get; }

    /// <summary>nft's byte order hint for the type (BYTEORDER_HOST_ENDIAN 1, BYTEORDER_BIG_ENDIAN 2, 0 for none), kept in the set's userdata.</summary>
    internal uint ByteOrder { get; }

    private const uint HostEndian = 1;
    private const uint BigEndian = 2;

    /// <summary>Whether this is a concatenation of several fields.</summary>
    public bool IsConcatenation => FieldLengths.Count > 1;

    /// <summary><c>ipv4_addr</c>: 4 bytes, network order.</summary>
    public static SetType Ipv4Address { get; } = Plain(7, 4, "ipv4_addr");

    /// <summary><c>ipv6_addr</c>: 16 bytes, network order.</summary>
    public static SetType Ipv6Address { get; } = Plain(8, 16, "ipv6_addr");

    /// <summary><c>inet_proto</c>: 1 byte (IPPROTO_*).</summary>
    public static SetType InetProto { get; } = Plain(12, 1, "inet_proto");

    /// <summary><c>inet_service</c>: a port, 2 bytes, network order.</summary>
    public static SetType InetService { get; } = Plain(13, 2, "inet_service");

    /// <summary><c>mark</c>: 4 bytes, host order.</summary>
    public static SetType Mark { get; } = Plain(19, 4, "mark", HostEndian);

    /// <summary><c>integer</c> of 4 bytes, host order (what <c>numgen</c> produces).</summary>
    public static SetType Number { get; } = Plain(4, 4, "integer", HostEndian);

    /// <summary><c>verdict</c>: the values of a verdict map (NFT_DATA_VERDICT).</summary>
    public static SetType Verdict { get; } = new(0xffffff00, 0, "verdict", [0], 0);

    /// <summary>A type known only by number and length (read back from another tool).</summary>
    public static SetType FromId(uint id, int length) => new(id, length, "type " + id.ToString(System.Globalization.CultureInfo.InvariantCulture), [length]);

    /// <summary>The concatenation of <paramref name="fields"/>, in order (<c>a . b . c</c>).</summary>
    public static SetType Concat(params SetType[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length < 2)
        {
            throw new ArgumentException("a concatenation needs at least two fields", nameof(fields));
        }
        uint id = 0;
        int length = 0;
        var lengths = new List<int>();
        foreach (SetType field in fields)
        {
            if (field.IsConcatenation || field.Id == Verdict.Id)
            {
                throw new ArgumentException($"{field.Name} cannot be a field of a concatenation", nameof(fields));
            }
            id = (id << TypeBits) | field.Id;
            length += (field.Length + 3) & ~3;
            lengths.Add(field.Length);
        }
        return new SetType(id, length, string.Join(" . ", fields.Select(f => f.Name)), lengths, 0);
    }

    private static SetType Plain(uint id, int length, string name, uint byteOrder = BigEndian) => new(id, length, name, [length], byteOrder);

    private static readonly SetType[] s_known = [Ipv4Address, Ipv6Address, InetProto, InetService, Mark, Number];

    /// <summary>The type a set read back from the kernel has: a known type, a concatenation of known types, or a bare number.</summary>
    internal static SetType FromKernel(uint id, int length, IReadOnlyList<int>? fieldLengths)
    {
        if (id == Verdict.Id)
        {
            return Verdict;
        }
        if (fieldLengths is null || fieldLengths.Count <= 1)
        {
            foreach (SetType known in s_known)
            {
                if (known.Id == id && known.Length == length)
                {
                    return known;
                }
            }
            // A concatenation without NFTA_SET_DESC_CONCAT: split the id into known 6-bit field types if the lengths add up.
            var guessed = new List<SetType>();
            for (uint rest = id; rest != 0; rest >>= TypeBits)
            {
                SetType? field = s_known.FirstOrDefault(k => k.Id == (rest & 0x3f));
                if (field is null)
                {
                    return FromId(id, length);
                }
                guessed.Insert(0, field);
            }
            if (guessed.Count > 1 && guessed.Sum(f => (f.Length + 3) & ~3) == length)
            {
                return Concat([.. guessed]);
            }
            return FromId(id, length);
        }
        var fields = new List<SetType>();
        uint remaining = id;
        for (int i = fieldLengths.Count - 1; i >= 0; i--)
        {
            uint fieldId = remaining & 0x3f;
            remaining >>= TypeBits;
            SetType? field = s_known.FirstOrDefault(k => k.Id == fieldId && k.Length == fieldLengths[i]);
            fields.Insert(0, field ?? new SetType(fieldId, fieldLengths[i], "type " + fieldId.ToString(System.Globalization.CultureInfo.InvariantCulture), [fieldLengths[i]]));
        }
        SetType concat = Concat([.. fields]);
        return concat.Length == length && concat.Id == id ? concat : new SetType(id, length, concat.Name, fieldLengths);
    }

    /// <inheritdoc />
    public bool Equals(SetType? other) => other is not null && Id == other.Id && Length == other.Length && FieldLengths.SequenceEqual(other.FieldLengths);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Length);

    /// <inheritdoc />
    public override string ToString() => Name;
}
