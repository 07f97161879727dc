// Placeholder until the command line lands in this session.
int main() { return 0; }
