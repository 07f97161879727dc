#include "output/hdf5_reader.hpp"

#include <hdf5.h>

#include "output/hdf5_quiet.hpp"

#include <filesystem>

#include "scenario/error.hpp"

namespace sellershock {

namespace {


struct Closer {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Closer() {
    if (id >= 0) close(id);
  }
};

}  // namespace

void Hdf5Reader::fail(const std::string& what) const {
  throw InputError({path_, 0, 0}, "", format_input_error({path_, 0, 0}, "", what));
}

Hdf5Reader::Hdf5Reader(const std::string& path) : path_(path) {
  const QuietHdf5Errors quiet;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail("no such file: expected a sellershock output file (.h5)");
  if (H5Fis_hdf5(path.c_str()) <= 0) fail("not an HDF5 file: expected a sellershock output file (.h5)");
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) fail("cannot open the HDF5 file");
}

Hdf5Reader::~Hdf5Reader() {
  if (file_ >= 0) H5Fclose(file_);
}

bool Hdf5Reader::has(const std::string& name) const {
  const QuietHdf5Errors quiet;
  // Each link of the path must exist before the next is asked for.
  std::size_t position = 0;
  while (true) {
    position = name.find('/', position + 1);
    const std::string prefix = name.substr(0, position);
    if (H5Lexists(file_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (position == std::string::npos) return true;
  }
}

std::string Hdf5Reader::string_dataset(const std::string& name) const {
  const QuietHdf5Errors quiet;
  Closer dataset{H5Dopen2(file_, name.c_str(), H5P_DEFAULT), H5Dclose};
  if (dataset.id < 0) fail("no dataset '" + name + "': not a sellershock output file");
  Closer type{H5Dget_type(dataset.id), H5Tclose};
  if (H5Tget_class(type.id) != H5T_STRING || H5Tis_variable_str(type.id) <= 0)
    fail("dataset '" + name + "' is not a text dataset");
  Closer memory{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(memory.id, H5T_VARIABLE);
  H5Tset_cset(memory.id, H5T_CSET_UTF8);
  char* text = nullptr;
  if (H5Dread(dataset.id, memory.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0) fail("cannot read '" + name + "'");
  std::string out = text ? text : "";
  Closer space{H5Dget_space(dataset.id), H5Sclose};
  H5Dvlen_reclaim(memory.id, space.id, H5P_DEFAULT, &text);
  return out;
}

namespace {

// An open attribute's value as UTF-8 text; false if it cannot be read as text.
bool read_text_attribute(hid_t attribute, std::string& out) {
  Closer memory{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(memory.id, H5T_VARIABLE);
  H5Tset_cset(memory.id, H5T_CSET_UTF8);
  char* text = nullptr;
  if (H5Aread(attribute, memory.id, &text) < 0) return false;
  out = text ? text : "";
  H5free_memory(text);
  return true;
}

}  // namespace

std::string Hdf5Reader::string_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  Closer attribute{H5Aopen(file_, name.c_str(), H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0) fail("no root attribute '" + name + "': not a sellershock output file");
  std::string out;
  if (!read_text_attribute(attribute.id, out)) fail("cannot read root attribute '" + name + "'");
  return out;
}

namespace {

// A numeric root attribute converted by HDF5 to the memory type T (native_type).
template <typename T>
bool read_number_attribute(hid_t file, const std::string& name, hid_t native_type, T& value) {
  Closer attribute{H5Aopen(file, name.c_str(), H5P_DEFAULT), H5Aclose};
  return attribute.id >= 0 && H5Aread(attribute.id, native_type, &value) >= 0;
}

}  // namespace

std::int64_t Hdf5Reader::integer_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  std::int64_t value = 0;
  if (!read_number_attribute(file_, name, H5T_NATIVE_INT64, value))
    fail("no numeric root attribute '" + name + "': not a sellershock output file");
  return value;
}

std::uint64_t Hdf5Reader::unsigned_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  std::uint64_t value = 0;
  if (!read_number_attribute(file_, name, H5T_NATIVE_UINT64, value))
    fail("no numeric root attribute '" + name + "': not a sellershock output file");
  return value;
}

double Hdf5Reader::double_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  double value = 0;
  if (!read_number_attribute(file_, name, H5T_NATIVE_DOUBLE, value))
    fail("no numeric root attribute '" + name + "': not a sellershock output file");
  return value;
}

bool Hdf5Reader::has_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  return H5Aexists(file_, name.c_str()) > 0;
}

std::string Hdf5Reader::string_attribute_of(const std::string& object, const std::string& name) const {
  const QuietHdf5Errors quiet;
  if (!has(object) || H5Aexists_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) return "";
  Closer attribute{H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0) return "";
  Closer type{H5Aget_type(attribute.id), H5Tclose};
  if (H5Tget_class(type.id) != H5T_STRING || H5Tis_variable_str(type.id) <= 0)
    fail("attribute '" + name + "' of '" + object + "' is not text");
  std::string out;
  if (!read_text_attribute(attribute.id, out)) fail("cannot read attribute '" + name + "' of '" + object + "'");
  return out;
}

std::int64_t Hdf5Reader::integer_attribute_of(const std::string& object, const std::string& name) const {
  const QuietHdf5Errors quiet;
  std::int64_t value = 0;
  if (!has(object) || H5Aexists_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT) <= 0)
    fail("no attribute '" + name + "' of '" + object + "'");
  Closer attribute{H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0 || H5Aread(attribute.id, H5T_NATIVE_INT64, &value) < 0)
    fail("cannot read attribute '" + name + "' of '" + object + "' as a number");
  return value;
}

std::vector<std::string> Hdf5Reader::members(const std::string& group) const {
  const QuietHdf5Errors quiet;
  Closer handle{H5Gopen2(file_, group.c_str(), H5P_DEFAULT), H5Gclose};
  if (handle.id < 0) fail("no group '" + group + "'");
  std::vector<std::string> names;
  const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  // In creation order where the file tracks it (sellershock's writers do), else by name.
  if (H5Literate(handle.id, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect, &names) < 0) {
    names.clear();
    if (H5Literate(handle.id, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names) < 0)
      fail("cannot list the group '" + group + "'");
  }
  return names;
}

namespace {

// A numeric dataset read as the memory type T; false if it does not exist, has an unexpected shape or
// cannot be converted. `why` says which.
template <typename T>
bool read_numbers(hid_t file, const std::string& name, hid_t native_type, std::vector<T>& values,
                  std::vector<std::uint64_t>* shape, std::string& why) {
  Closer dataset{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  if (dataset.id < 0) {
    why = "no dataset '" + name + "'";
    return false;
  }
  Closer space{H5Dget_space(dataset.id), H5Sclose};
  const int rank = H5Sget_simple_extent_ndims(space.id);
  if (rank < 0 || rank > 8) {
    why = "dataset '" + name + "' has an unexpected shape";
    return false;
  }
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
  std::uint64_t count = 1;
  for (hsize_t d : dims) count *= d;
  if (count > (std::uint64_t{1} << 31)) {
    why = "dataset '" + name + "' is too large to summarise";
    return false;
  }
  values.assign(count, T{});
  if (count > 0 && H5Dread(dataset.id, native_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
    why = "cannot read dataset '" + name + "' as numbers";
    return false;
  }
  if (shape) shape->assign(dims.begin(), dims.end());
  return true;
}

}  // namespace

std::vector<std::int64_t> Hdf5Reader::int64_dataset(const std::string& name, std::vector<std::uint64_t>* shape) const {
  const QuietHdf5Errors quiet;
  std::vector<std::int64_t> values;
  std::string why;
  if (!read_numbers(file_, name, H5T_NATIVE_INT64, values, shape, why)) fail(why);
  return values;
}

std::vector<double> Hdf5Reader::double_dataset(const std::string& name, std::vector<std::uint64_t>* shape) const {
  const QuietHdf5Errors quiet;
  std::vector<double> values;
  std::string why;
  if (!read_numbers(file_, name, H5T_NATIVE_DOUBLE, values, shape, why)) fail(why);
  return values;
}

std::vector<std::string> Hdf5Reader::string_list(const std::string& name) const {
  const QuietHdf5Errors quiet;
  Closer dataset{H5Dopen2(file_, name.c_str(), H5P_DEFAULT), H5Dclose};
  if (dataset.id < 0) fail("no dataset '" + name + "'");
  Closer space{H5Dget_space(dataset.id), H5Sclose};
  const hssize_t count = H5Sget_simple_extent_npoints(space.id);
  if (count < 0 || count > (1 << 24)) fail("dataset '" + name + "' has an unexpected shape");
  Closer memory{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(memory.id, H5T_VARIABLE);
  H5Tset_cset(memory.id, H5T_CSET_UTF8);
  std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
  if (count > 0 && H5Dread(dataset.id, memory.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) < 0)
    fail("cannot read dataset '" + name + "' as text");
  std::vector<std::string> out;
  for (char* t : texts) out.emplace_back(t ? t : "");
  if (count > 0) H5Dvlen_reclaim(memory.id, space.id, H5P_DEFAULT, texts.data());
  return out;
}

}  // namespace sellershock
