using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Netlink.Ipvs.Codec;

namespace Netlink.Ipvs;

public sealed partial class IpvsClient
{
    /// <summary>
    /// Reads a large table with the dumps and the decoding overlapped: this thread asks the kernel for one service's
    /// real servers after another and copies each reply's raw bytes aside, while a second thread turns them into
    /// <see cref="ObservedRealServer"/> records. The kernel's time and ours then run side by side instead of in turn.
    /// </summary>
    private static class TablePipeline
    {
        /// <summary>Services handed over at a time: fewer hand-offs, while the decoder still starts early.</summary>
        private const int ServicesPerChunk = 32;

        public static IpvsServiceEntry[] Read(IpvsClient client, IReadOnlyList<ObservedVirtualService> services)
        {
            var entries = new IpvsServiceEntry[services.Count];
            using var queue = new BlockingCollection<RawChunk>(boundedCapacity: 256);
            Task decoder = Task.Factory.StartNew(() => Decode(queue, services, entries), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                var raw = new RawCollector();
                for (int i = 0; i < services.Count; i++)
                {
                    raw.StartService(i);
                    client.DumpRealServersRaw(services[i].Key, raw);
                    raw.EndService();
                    if (raw.Services == ServicesPerChunk || i == services.Count - 1)
                    {
                        queue.Add(raw.TakeChunk());
                    }
                }
            }
            finally
            {
                queue.CompleteAdding();
                // A decoding failure (malformed reply) surfaces here, after the dumps stop.
                decoder.GetAwaiter().GetResult();
            }
            return entries;
        }

        private static void Decode(BlockingCollection<RawChunk> queue, IReadOnlyList<ObservedVirtualService> services, IpvsServiceEntry[] entries)
        {
            // After a failure keep draining, so the dumping thread never blocks on a full queue; rethrow at the end.
            Exception? failure = null;
            foreach (RawChunk chunk in queue.GetConsumingEnumerable())
            {
                try
                {
                    if (failure is null)
                    {
                        DecodeChunk(chunk, services, entries);
                    }
                }
                catch (NetlinkException e)
                {
                    failure = e;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Bytes);
                }
            }
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        private static void DecodeChunk(RawChunk chunk, IReadOnlyList<ObservedVirtualService> services, IpvsServiceEntry[] entries)
        {
            int start = 0;
            foreach ((int serviceIndex, int end, int count) in chunk.Services)
            {
                ObservedVirtualService service = services[serviceIndex];
                var servers = new List<ObservedRealServer>(count);
                var reader = new NetlinkMessageReader(chunk.Bytes.AsSpan(start, end - start));
                while (reader.TryRead(out NetlinkMessage message))
                {
                    servers.Add(IpvsReplyParser.ParseRealServerMessage(message, service.Key.Family));
                }
                entries[serviceIndex] = new IpvsServiceEntry(service, servers);
                start = end;
            }
        }

        private sealed record RawChunk(byte[] Bytes, List<(int ServiceIndex, int End, int Count)> Services);

        /// <summary>Copies each reply message, header included, into one pooled array per chunk of services.</summary>
        private sealed class RawCollector : IDumpReceiver<NetlinkMessage>
        {
            private byte[] _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
            private List<(int ServiceIndex, int End, int Count)> _services = new(ServicesPerChunk);
            private int _length;
            private int _serviceStart;
            private int _service;
            private int _count;

            public int Services => _services.Count;

            public void StartService(int service)
            {
                _service = service;
                _serviceStart = _length;
                _count = 0;
            }

            public void EndService() => _services.Add((_service, _length, _count));

            public RawChunk TakeChunk()
            {
                var chunk = new RawChunk(_bytes, _services);
                _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
                _services = new(ServicesPerChunk);
                _length = 0;
                return chunk;
            }

            public void OnItem(NetlinkMessage message)
            {
                int size = NetlinkWriter.MessageHeaderSize + message.Payload.Length;
                int aligned = NetlinkWriter.Align(size);
                if (_length + aligned > _bytes.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _length + aligned));
                    _bytes.AsSpan(0, _length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_bytes);
                    _bytes = larger;
                }
                // Rebuild the header: the decoder reads these bytes with the ordinary message reader.
                Span<byte> target = _bytes.AsSpan(_length, aligned);
                BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)size);
                BinaryPrimitives.WriteUInt16LittleEndian(target[4..], message.Type);
                BinaryPrimitives.WriteUInt16LittleEndian(target[6..], (ushort)message.Flags);
                BinaryPrimitives.WriteUInt32LittleEndian(target[8..], message.Sequence);
                BinaryPrimitives.WriteUInt32LittleEndian(target[12..], message.PortId);
                message.Payload.CopyTo(target[NetlinkWriter.MessageHeaderSize..]);
                target[size..].Clear();
                _length += aligned;
                _count++;
            }

            public void OnRestart()
            {
                _length = _serviceStart;
                _count = 0;
            }
        }
    }
}
