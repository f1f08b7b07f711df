using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>The one .npy reader both tools use: every dtype NumPy and PyTorch write for images and labels, header versions
/// 1 to 3, and a message naming the file and the fault for each kind of broken file.</summary>
public sealed class NpyArrayTests
{
    [Theory]
    [InlineData(nameof(NpyDataType.UInt8), "|u1")]
    [InlineData(nameof(NpyDataType.Int8), "|i1")]
    [InlineData(nameof(NpyDataType.UInt16), "<u2")]
    [InlineData(nameof(NpyDataType.Int16), "<i2")]
    [InlineData(nameof(NpyDataType.UInt32), "<u4")]
    [InlineData(nameof(NpyDataType.Int32), "<i4")]
    [InlineData(nameof(NpyDataType.UInt64), "<u8")]
    [InlineData(nameof(NpyDataType.Int64), "<i8")]
    public void Every_integer_dtype_reads_its_values_in_order(string typeName, string descr) // by name: NpyDataType is internal
    {
        var type = Enum.Parse<NpyDataType>(typeName);
        bool signed = descr[1] == 'i';
        double[] values = signed ? [0, 1, -2, 127, -128] : [0, 1, 2, 127, 255];

        NpyArray array = NpyArray.Parse(NpyBytes.Of(type, [5], values), "labels.npy");

        Assert.Equal(type, array.DataType);
        Assert.True(array.IsInteger);
        Assert.Equal([5L], array.Shape);
        Assert.Equal(values.Select(v => (long)v), array.ToInt64s());
        Assert.Equal(values.Select(v => (float)v), array.ToSingles());
    }

    [Fact]
    public void Floats_are_read_as_they_are_and_float64_rounded_to_float32()
    {
        float[] singles = [0f, 0.1f, -3.5f, float.Epsilon, 1e30f, 0.333333343f];
        double[] doubles = [0, 0.1, -3.5, 1e-300, 1e30, 1.0 / 3];

        NpyArray f32 = NpyArray.Parse(NpyBytes.Floats([2, 3], singles), "x.npy");
        NpyArray f64 = NpyArray.Parse(NpyBytes.Of(NpyDataType.Float64, [3, 2], doubles), "x.npy");

        Assert.Equal(singles, f32.ToSingles());
        Assert.Equal([2L, 3L], f32.Shape);
        Assert.Equal(doubles.Select(d => (float)d), f64.ToSingles());
        Assert.False(f64.IsInteger);
        Assert.Throws<InvalidOperationException>(() => f64.ToInt64s());
    }

    [Fact]
    public void A_uint64_beyond_long_is_capped_rather_than_wrapped_to_a_negative_label()
    {
        byte[] bytes = NpyBytes.Of(NpyDataType.UInt64, [1], 0);
        bytes.AsSpan(bytes.Length - 8).Fill(0xFF);

        Assert.Equal([long.MaxValue], NpyArray.Parse(bytes, "y.npy").ToInt64s());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Headers_of_versions_1_to_3_are_read(int version)
    {
        // Version 3 is UTF-8 (a field name NumPy would escape otherwise); spacing as Python's literal syntax allows.
        string dictionary = "{'descr':'<i4','fortran_order' : False,  'shape':(2,3), 'étiquette': 1}";
        byte[] data = new byte[24];
        data[20] = 7;

        NpyArray array = NpyArray.Parse(NpyBytes.WithHeader(dictionary, data, version), "v.npy");

        Assert.Equal(NpyDataType.Int32, array.DataType);
        Assert.Equal([2L, 3L], array.Shape);
        Assert.Equal([0L, 0, 0, 0, 0, 7], array.ToInt64s());
    }

    [Theory]
    [InlineData("()", new long[0], 1)]
    [InlineData("(4,)", new long[] { 4 }, 4)]
    [InlineData("(0, 8, 8)", new long[] { 0, 8, 8 }, 0)]
    [InlineData("(2, 2, 1, 1)", new long[] { 2, 2, 1, 1 }, 4)]
    public void Shapes_of_any_rank_and_empty_arrays_are_read(string tuple, long[] shape, int count)
    {
        byte[] bytes = NpyBytes.WithHeader($"{{'descr': '|u1', 'fortran_order': False, 'shape': {tuple}, }}", new byte[count]);

        NpyArray array = NpyArray.Parse(bytes, "s.npy");

        Assert.Equal(shape, array.Shape);
        Assert.Equal(count, array.Count);
    }

    [Fact]
    public void The_header_alone_is_read_from_a_file_without_its_data()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("elr-npy-").FullName, "x.npy");
        byte[] bytes = NpyBytes.Of(NpyDataType.Float64, [3, 4, 5], new double[60]);
        File.WriteAllBytes(path, bytes);
        try
        {
            NpyHeader header = NpyHeader.Read(path);

            Assert.Equal(NpyArray.Parse(bytes, path).Header.DataOffset, header.DataOffset);
            Assert.Equal((NpyDataType.Float64, 60L), (header.DataType, header.Count));
            Assert.Equal([3L, 4L, 5L], header.Shape);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    public static TheoryData<string> ImageTypes => new() { nameof(NpyDataType.Float32), nameof(NpyDataType.Float64), nameof(NpyDataType.UInt8), nameof(NpyDataType.Int64) };

    [Theory]
    [MemberData(nameof(ImageTypes))]
    public void A_file_read_as_singles_holds_what_parsing_it_whole_and_converting_gives(string typeName)
    {
        var type = Enum.Parse<NpyDataType>(typeName);
        byte[] bytes = NpyBytes.Of(type, [2, 3], 0, 1, 2.5, 100, 255, 0.125);
        string path = Path.Combine(Directory.CreateTempSubdirectory("elr-npy-").FullName, "x.npy");
        File.WriteAllBytes(path, bytes);
        try
        {
            (NpyHeader header, float[] values) = NpyArray.ReadSingles(path);

            NpyArray whole = NpyArray.Parse(bytes, path);
            Assert.Equal(whole.Header.DataType, header.DataType);
            Assert.Equal(whole.Shape, header.Shape);
            Assert.Equal(whole.ToSingles(), values);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    public static TheoryData<byte[], string> BrokenFiles => new()
    {
        { "x,y\n1,2\n"u8.ToArray(), "it does not start with the .npy magic" },
        { [0x93, .. "NUMPY"u8, 1], "the file ends after 7 bytes, inside its preamble: it was cut short" }, // was "does not start with the .npy magic"
        { [0x93, .. "NUM"u8], "the file ends after 4 bytes, inside its preamble: it was cut short" },
        { [0x93, .. "NUMPX"u8, 1, 0, 0, 0], "it does not start with the .npy magic" },
        { [0x93, .. "NUMPY"u8, 9, 0, 0, 0], "it is .npy version 9; versions 1 to 3 are read" },
        { [0x93, .. "NUMPY"u8, 2, 0, 0xFF, 0xFF], "the file ends inside its 12-byte preamble" },
        { [0x93, .. "NUMPY"u8, 1, 0, 0xFF, 0x7F], "its header of 32767 bytes runs past the end of the file (10 bytes)" },
        { NpyBytes.WithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]), "it is stored in Fortran order; save it with numpy.ascontiguousarray" },
        { NpyBytes.WithHeader("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }", new byte[4]), "its 'fortran_order' is neither True nor False" },
        { NpyBytes.WithHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "dtype <c8 is not supported; float32 ('<f4'), float64 ('<f8') and 8- to 64-bit integers" },
        { NpyBytes.WithHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }", new byte[1]), "dtype |b1 is not supported" },
        { NpyBytes.WithHeader("{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "dtype >i8 is big-endian; save it little-endian with x.astype('<i8')" },
        { NpyBytes.WithHeader("{'fortran_order': False, 'shape': (1,), }", new byte[4]), "its header has no 'descr'" },
        { NpyBytes.WithHeader("{'descr': '<f4', 'fortran_order': False, }", new byte[4]), "its header has no 'shape' tuple" },
        { NpyBytes.WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[4]), "its shape has the dimension '-1'" },
        { NpyBytes.WithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[4]), "its shape (2) does not match the 1 values that follow the header (2 expected: the file is cut short)" },
        { NpyBytes.WithHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[12]), "the data is not a whole number of elements" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_file_is_refused_naming_the_file_and_the_fault(byte[] bytes, string problem)
    {
        NpyFormatException e = Assert.Throws<NpyFormatException>(() => NpyArray.Parse(bytes, "data/bad.npy"));

        Assert.StartsWith("data/bad.npy is not a usable .npy file: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_file_read_as_singles_is_refused_as_parsing_refuses_it(byte[] bytes, string problem)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("elr-npy-").FullName, "bad.npy");
        File.WriteAllBytes(path, bytes);
        try
        {
            NpyFormatException e = Assert.Throws<NpyFormatException>(() => NpyArray.ReadSingles(path));

            Assert.Equal(Assert.Throws<NpyFormatException>(() => NpyArray.Parse(bytes, path)).Message, e.Message);
            Assert.Contains(problem, e.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void A_file_of_2_GiB_or_more_is_refused_by_both_readers_with_its_size()
    {
        // A sparse file: its length is all the readers look at, and it takes no disk space.
        string path = Path.Combine(Directory.CreateTempSubdirectory("elr-npy-").FullName, "huge.npy");
        using (FileStream file = File.Create(path)) file.SetLength(Array.MaxLength + 1L);
        try
        {
            foreach (Action read in new Action[] { () => NpyArray.Read(path), () => NpyArray.ReadSingles(path) })
            {
                NpyFormatException e = Assert.Throws<NpyFormatException>(read);
                Assert.Contains($"it is {Array.MaxLength + 1L:N0} bytes, and arrays are read whole, so they must be under 2 GiB", e.Message);
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
