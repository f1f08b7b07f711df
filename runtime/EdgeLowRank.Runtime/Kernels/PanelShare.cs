using System.Diagnostics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The output panels one thread computes when a matrix product is split across threads: part <see cref="Part"/> of
/// <see cref="Parts"/>. Panels are independent (each is K×16 weights giving 16 output columns), so the parts compute
/// exactly what one thread computes, bit for bit, and each thread streams only its own share of the weights, which is
/// what a large layer at batch 1 is bound by. The partial last panel is stored full width, its padding lanes spilling
/// into the next row's first columns (see <see cref="DenseSimd{TRow, TSource}"/>), so it belongs to the part that computes
/// panel 0 and must run before it: the panels are dealt out in the order partial, 0, 1, …, and every part gets at least
/// two (<see cref="MostParts"/>).
/// </summary>
internal readonly record struct PanelShare
{
    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public PanelShare(int part, int parts)
    {
        Debug.Assert(parts >= 1 && part >= 0 && part < parts);
        Part = part;
        Parts = parts;
    }

    /// <summary>The part's index, from 0.</summary>
    public int Part { get; }

    /// <summary>How many parts share the panels.</summary>
    public int Parts { get; }

    /// <summary>Every panel: one thread alone.</summary>
    public static PanelShare Whole => new(0, 1);

    /// <summary>The most parts the panels of a matrix with <paramref name="columns"/> columns can be split into: two
    /// panels a part at least, so the partial last panel always shares its part with panel 0.</summary>
    public static int MostParts(int columns) => Math.Max(1, PackedMatrix.PanelsFor(columns) / 2);

    /// <summary>This part's panels of a matrix with <paramref name="columns"/> columns: the full panels from
    /// <paramref name="firstFull"/> up to <paramref name="endFull"/>, and the partial last panel when
    /// <paramref name="partial"/>.</summary>
    public void Panels(int columns, out int firstFull, out int endFull, out bool partial)
    {
        Debug.Assert(Parts <= MostParts(columns));
        int full = columns / PackedMatrix.PanelWidth;
        int leading = columns % PackedMatrix.PanelWidth == 0 ? 0 : 1; // the partial panel is dealt first
        if (Parts == 1)
        {
            // Every call of a run on one thread comes here: no 64-bit divisions (a small model's GEMVs took 3% longer).
            (firstFull, endFull, partial) = (0, full, leading == 1);
            return;
        }
        int panels = full + leading;
        int start = (int)((long)Part * panels / Parts), end = (int)((long)(Part + 1) * panels / Parts);
        partial = leading == 1 && start == 0;
        firstFull = Math.Max(start - leading, 0);
        endFull = end - leading;
    }

    /// <summary>Whether this part computes output column <paramref name="column"/> of <paramref name="columns"/>: the
    /// scalar reference's test, column by column.</summary>
    public bool Holds(int column, int columns)
    {
        Panels(columns, out int firstFull, out int endFull, out bool partial);
        int panel = column / PackedMatrix.PanelWidth;
        return panel < columns / PackedMatrix.PanelWidth ? panel >= firstFull && panel < endFull : partial;
    }
}
