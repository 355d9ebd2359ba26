using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using Netlink.Ipvs.Codec;

namespace Netlink.Ipvs;

public sealed partial class IpvsClient
{
    /// <summary>
    /// Reads a large table with the dumps and the decoding overlapped: this thread asks the kernel for one service's
    /// real servers after another and copies each reply's raw bytes aside, while a second thread turns them into
    /// <see cref="ObservedRealServer"/> records. The kernel's time and ours then run side by side instead of in turn.
    /// </summary>
    private static partial class TablePipeline
    {
        /// <summary>
        /// A chunk goes to the decoder once it holds this many bytes of replies (about 25 services of 10 real servers):
        /// few hand-offs, while the decoder still starts early and has little left when the dumps end.
        /// </summary>
        private const int HandOffBytes = 96 * 1024;

        /// <summary>A chunk's array: room for one more service of up to 90 real servers past the hand-off size.</summary>
        private const int ChunkCapacity = 128 * 1024;

        /// <summary>
        /// Hands each service's entry to <paramref name="sink"/> as soon as it is decoded, in the order of
        /// <paramref name="services"/>, on the decoding thread; a sink's exception ends the read and is rethrown here.
        /// </summary>
        public static void Read(IpvsClient client, IReadOnlyList<ObservedVirtualService> services, Action<IpvsServiceEntry> sink)
        {
            var queue = new ChunkQueue();
            Task decoder = Task.Factory.StartNew(() => Decode(queue, services, sink), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                using var request = new NetlinkBuffer(RequestSize);
                var raw = new RawCollector(queue);
                for (int i = 0; i < services.Count; i++)
                {
                    raw.StartService(i);
                    client.DumpRealServersRaw(request, services[i].Key, raw);
                    raw.EndService();
                    if (raw.Length >= HandOffBytes || i == services.Count - 1)
                    {
                        queue.Add(raw.TakeChunk());
                    }
                }
                raw.Release();
            }
            finally
            {
                queue.Complete();
                try
                {
                    // A decoding failure (malformed reply) surfaces here, after the dumps stop.
                    decoder.GetAwaiter().GetResult();
                }
                finally
                {
                    queue.ReleaseArrays();
                }
            }
        }

        private static void Decode(ChunkQueue queue, IReadOnlyList<ObservedVirtualService> services, Action<IpvsServiceEntry> sink)
        {
            // After a failure (a malformed reply, or anything else) keep draining, so the dumping thread never waits
            // forever on a full queue; rethrow at the end.
            ExceptionDispatchInfo? failure = null;
            while (queue.TryTake(out RawChunk? chunk))
            {
                try
                {
                    if (failure is null)
                    {
                        DecodeChunk(chunk, services, sink);
                    }
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    queue.ReturnArray(chunk.Bytes);
                }
            }
            failure?.Throw();
        }

        private static void DecodeChunk(RawChunk chunk, IReadOnlyList<ObservedVirtualService> services, Action<IpvsServiceEntry> sink)
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
                sink(new IpvsServiceEntry(service, servers));
                start = end;
            }
        }

        private sealed record RawChunk(byte[] Bytes, List<(int ServiceIndex, int End, int Count)> Services);

        /// <summary>Copies each reply message, header included, into one array per chunk of services.</summary>
        private sealed class RawCollector(ChunkQueue queue) : IDumpReceiver<NetlinkMessage>
        {
            private byte[] _bytes = queue.RentArray(ChunkCapacity);
            private List<(int ServiceIndex, int End, int Count)> _services = [];
            private int _length;
            private int _serviceStart;
            private int _service;
            private int _count;

            /// <summary>Bytes collected in the current chunk.</summary>
            public int Length => _length;

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
                _bytes = queue.RentArray(ChunkCapacity);
                _services = [];
                _length = 0;
                return chunk;
            }

            /// <summary>Gives the array of the (empty) chunk being collected back.</summary>
            public void Release() => queue.ReturnArray(_bytes);

            public void OnItem(NetlinkMessage message)
            {
                int size = NetlinkWriter.MessageHeaderSize + message.Payload.Length;
                int aligned = NetlinkWriter.Align(size);
                if (_length + aligned > _bytes.Length)
                {
                    // A service with more real servers than a chunk holds: a larger array, from the pool and back to it.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _length + aligned));
                    _bytes.AsSpan(0, _length).CopyTo(larger);
                    queue.ReturnArray(_bytes);
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
