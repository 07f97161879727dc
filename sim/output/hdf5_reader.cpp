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
  if (dataset.id < 0) fail("no dataset '" + name + "': not a sellershock run file");
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

std::string Hdf5Reader::string_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  Closer attribute{H5Aopen(file_, name.c_str(), H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0) fail("no root attribute '" + name + "': not a sellershock run file");
  Closer memory{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(memory.id, H5T_VARIABLE);
  H5Tset_cset(memory.id, H5T_CSET_UTF8);
  char* text = nullptr;
  if (H5Aread(attribute.id, memory.id, &text) < 0) fail("cannot read root attribute '" + name + "'");
  std::string out = text ? text : "";
  H5free_memory(text);
  return out;
}

std::int64_t Hdf5Reader::integer_attribute(const std::string& name) const {
  const QuietHdf5Errors quiet;
  Closer attribute{H5Aopen(file_, name.c_str(), H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0) fail("no root attribute '" + name + "': not a sellershock run file");
  std::int64_t value = 0;
  if (H5Aread(attribute.id, H5T_NATIVE_INT64, &value) < 0) fail("cannot read root attribute '" + name + "'");
  return value;
}

std::vector<std::int64_t> Hdf5Reader::int64_dataset(const std::string& name, std::vector<std::uint64_t>* shape) const {
  const QuietHdf5Errors quiet;
  Closer dataset{H5Dopen2(file_, name.c_str(), H5P_DEFAULT), H5Dclose};
  if (dataset.id < 0) fail("no dataset '" + name + "'");
  Closer space{H5Dget_space(dataset.id), H5Sclose};
  const int rank = H5Sget_simple_extent_ndims(space.id);
  if (rank < 0 || rank > 8) fail("dataset '" + name + "' has an unexpected shape");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
  std::uint64_t count = 1;
  for (hsize_t d : dims) count *= d;
  if (count > (std::uint64_t{1} << 31)) fail("dataset '" + name + "' is too large to summarise");
  std::vector<std::int64_t> values(count);
  if (count > 0 && H5Dread(dataset.id, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    fail("cannot read dataset '" + name + "' as integers");
  if (shape) shape->assign(dims.begin(), dims.end());
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
