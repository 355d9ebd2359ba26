using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Netlink.Ipvs;

public sealed partial class IpvsClient
{
    private static partial class TablePipeline
    {
        /// <summary>
        /// Carries chunks of raw replies from the dumping thread to the decoding one, and their arrays back to be filled
        /// again, so a table read of any size uses a few arrays. A waiting thread blocks at once (BlockingCollection's
        /// semaphore spun through some 13,000 sched_yield calls per table read in the VM, on the CPU the other thread
        /// needed); with at most <see cref="MaxInFlight"/> chunks waiting, a slow decoder holds the dumps back instead of
        /// letting the raw replies pile up.
        /// </summary>
        private sealed class ChunkQueue
        {
            private const int MaxInFlight = 16;

            private readonly object _gate = new();
            private readonly Queue<RawChunk> _full = new();
            private readonly Stack<byte[]> _empty = new();
            private bool _completed;

            /// <summary>Hands a chunk to the decoder, waiting while <see cref="MaxInFlight"/> are already waiting.</summary>
            public void Add(RawChunk chunk)
            {
                lock (_gate)
                {
                    while (_full.Count >= MaxInFlight)
                    {
                        Monitor.Wait(_gate);
                    }
                    _full.Enqueue(chunk);
                    Monitor.PulseAll(_gate);
                }
            }

            /// <summary>No more chunks will come.</summary>
            public void Complete()
            {
                lock (_gate)
                {
                    _completed = true;
                    Monitor.PulseAll(_gate);
                }
            }

            /// <summary>The next chunk, waiting for it; false once the queue is complete and empty.</summary>
            public bool TryTake([NotNullWhen(true)] out RawChunk? chunk)
            {
                lock (_gate)
                {
                    while (_full.Count == 0)
                    {
                        if (_completed)
                        {
                            chunk = null;
                            return false;
                        }
                        Monitor.Wait(_gate);
                    }
                    chunk = _full.Dequeue();
                    Monitor.PulseAll(_gate);
                    return true;
                }
            }

            /// <summary>An array the decoder has finished with, or a new one from the pool.</summary>
            public byte[] RentArray(int minimum)
            {
                lock (_gate)
                {
                    if (_empty.TryPeek(out byte[]? array) && array.Length >= minimum)
                    {
                        return _empty.Pop();
                    }
                }
                return ArrayPool<byte>.Shared.Rent(minimum);
            }

            /// <summary>Takes back an array whose bytes are decoded.</summary>
            public void ReturnArray(byte[] array)
            {
                lock (_gate)
                {
                    _empty.Push(array);
                }
            }

            /// <summary>Gives every array back to the pool, for the next table read; call once both threads are done.</summary>
            public void ReleaseArrays()
            {
                foreach (byte[] array in _empty)
                {
                    ArrayPool<byte>.Shared.Return(array);
                }
                _empty.Clear();
                foreach (RawChunk chunk in _full)
                {
                    ArrayPool<byte>.Shared.Return(chunk.Bytes);
                }
                _full.Clear();
            }
        }
    }
}
