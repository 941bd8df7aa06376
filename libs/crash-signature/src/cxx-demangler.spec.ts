import { bareCxxName, cxxFunctionName, demangleFunctionName } from './cxx-demangler';

describe('demangleFunctionName (Itanium C++ ABI, name only)', () => {
  it.each([
    ['_ZN5space3fooEii', 'space::foo'],
    ['_Z1fv', 'f'],
    ['_ZNK3Foo3barEv', 'Foo::bar'],
    ['_ZN3FooC2Ev', 'Foo::Foo'],
    ['_ZN3FooD0Ev', 'Foo::~Foo'],
    ['_ZNSt6vectorIiSaIiEE9push_backERKi', 'std::vector::push_back'],
    ['_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE12_M_constructEPKcm', 'std::__cxx11::basic_string::_M_construct'],
    ['_ZZ4mainENKUlvE_clEv', 'main::{lambda}::operator()'],
    ['_ZN12_GLOBAL__N_16helperEv', '(anonymous namespace)::helper'],
    ['_ZN3FooplERKS_', 'Foo::operator+'],
    ['_ZN3FoonwEm', 'Foo::operator new'],
    ['_ZNK3FoocviEv', 'Foo::operator cast'],
    ['_Z3maxIiET_S0_S0_', 'max'],
    ['_ZL9static_fnv', 'static_fn'],
    ['_ZN6Parser5parseEPKc.cold', 'Parser::parse'],
    ['_ZNKSt5ctypeIcE8do_widenEc', 'std::ctype::do_widen'],
    ['_ZSt9terminatev', 'std::terminate'],
    ['_ZN3Foo3barB5cxx11Ev', 'Foo::bar'],
    ['_ZN1N1TIiiE2mfES0_IddE', 'N::T::mf'],
    ['_ZZN3Foo3runEvE6helper', 'Foo::run::helper'],
  ])('%s -> %s', (mangled, name) => {
    expect(demangleFunctionName(mangled)).toBe(name);
  });

  it('leaves plain C names and non-symbols alone', () => {
    expect(demangleFunctionName('parse_entry')).toBeUndefined();
    expect(demangleFunctionName('_Zgarbage')).toBeUndefined();
  });
});

describe('bareCxxName (demangled text)', () => {
  it.each([
    ['Parser::parse(char const*)', 'Parser::parse'],
    ['std::vector<int, std::allocator<int> >::push_back(int const&)', 'std::vector::push_back'],
    ['int max<int>(int, int)', 'max'],
    ['Foo::operator<(Foo const&) const', 'Foo::operator<'],
    ['Foo::operator<<(int)', 'Foo::operator<<'],
    ['Foo::operator()() const', 'Foo::operator()'],
    ['Foo::operator new(unsigned long)', 'Foo::operator new'],
    ['Foo::operator int() const', 'Foo::operator cast'],
    ['main::{lambda()#1}::operator()() const', 'main::{lambda}::operator()'],
    ['(anonymous namespace)::helper()', '(anonymous namespace)::helper'],
    ['std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_construct(char const*, unsigned long)', 'std::__cxx11::basic_string::_M_construct'],
    ['Foo::bar[abi:cxx11]()', 'Foo::bar'],
  ])('%s -> %s', (text, name) => {
    expect(bareCxxName(text)).toBe(name);
  });
});

describe('cxxFunctionName', () => {
  it('gives one spelling for the mangled symbol, satyr text and gdb name of a frame', () => {
    const spellings = ['_ZN6Parser5parseEPKc', 'Parser::parse(char const*)', 'Parser::parse'];
    expect(new Set(spellings.map(cxxFunctionName))).toEqual(new Set(['Parser::parse']));
  });

  it('keeps C names as they are', () => {
    expect(cxxFunctionName('__strlen_evex')).toBe('__strlen_evex');
  });
});
