namespace EdgeLowRank.Runtime.Format;

/// <summary>How <see cref="ModelWriter"/> lays out each weight matrix in the file (docs/FORMAT.md, "Writer policy").</summary>
public enum WeightLayoutPolicy
{
    /// <summary>The default: a matrix is stored panel-16, and runs in place from a mapped file, unless the
    /// panels' zero padding would add more than 1/16 of its elements; then it is stored row-major, unpadded,
    /// and the reader packs it into panels at load. A 784×19 factor takes 784·19 floats instead of 784·32;
    /// a 784×300 weight (padded to 304 columns) stays panel-16. When readers would not pack the row-major matrices at load
    /// (over their packing limits: a matrix of a million rows and one column), every matrix is stored panel-16 instead,
    /// so each file written can be read.</summary>
    Compact = 0,

    /// <summary>Every matrix panel-16, as format 1.1 stored them: nothing is packed at load, every weight is used
    /// in place, and the file needs no required feature, so 1.0 and 1.1 readers read it too (unless it has
    /// convolution layers, for 1.0); the padding is in the file.</summary>
    Panel16 = 1,
}
